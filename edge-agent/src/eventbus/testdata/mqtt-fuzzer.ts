/**
 * Random MQTT 3.1.1 traffic for the broker fuzz test: batches of raw packets, each batch one
 * connection, most starting with a CONNECT (good, wrong or no credentials). Packets are
 * encoded by hand so that they can lie (length headers, flags, truncation).
 */
import { DeviceTopicSuffix, NodeTopicSuffix, deviceTopic, nodeTopic } from "@kubeedge-ts/contract";
import { seededRandom } from "@kubeedge-ts/testkit";

interface Login {
  username: string;
  password: string;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0 && out.length < 4);
  return Buffer.from(out);
}

function str(s: string | Buffer): Buffer {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length & 0xffff);
  return Buffer.concat([len, b]);
}

function packet(firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), varint(body.length), body]);
}

function connectPacket(clientId: string, login?: Login): Buffer {
  const flags = 0x02 | (login ? 0xc0 : 0);
  const parts = [str("MQTT"), Buffer.from([4, flags, 0, 30]), str(clientId)];
  if (login) parts.push(str(login.username), str(login.password));
  return packet(0x10, Buffer.concat(parts));
}

function publishPacket(topic: string, payload: Buffer, qos: number, id: number): Buffer {
  const parts = [str(topic)];
  if (qos > 0) parts.push(Buffer.from([id >> 8, id & 0xff]));
  parts.push(payload);
  return packet(0x30 | (qos << 1), Buffer.concat(parts));
}

function subscribePacket(filter: string, id: number): Buffer {
  return packet(
    0x82,
    Buffer.concat([Buffer.from([id >> 8, id & 0xff]), str(filter), Buffer.from([1])]),
  );
}

/** `batches` of packets totalling `count`, each batch one connection. */
export function fuzzPackets(seed: number, count: number, logins: Login[]): Buffer[][] {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const bytes = (n: number): Buffer =>
    Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
  const text = (n: number): string =>
    Array.from({ length: Math.floor(r() * n) }, () =>
      String.fromCharCode(32 + Math.floor(r() * 95)),
    ).join("");
  const topic = (): string =>
    pick([
      () =>
        deviceTopic(
          pick(["thermo", "default/thermo", "nope", "+", text(8)]),
          pick(Object.values(DeviceTopicSuffix)),
        ),
      () => nodeTopic(pick(["edge-1", "other", "+"]), pick(Object.values(NodeTopicSuffix))),
      () =>
        pick([
          "#",
          "$SYS/x",
          "$hw/events/#",
          "$hw/events/upload/thermo/x",
          "SYS/dis/upload_records",
        ]),
      () => text(40),
      () => "t/".repeat(1 + Math.floor(r() * 150)),
      () => "x".repeat(400 + Math.floor(r() * 400)),
    ])();
  const payload = (): Buffer =>
    pick([
      () =>
        Buffer.from(
          JSON.stringify({
            event_id: text(6),
            twin: {
              temperature: {
                actual: { value: String(Math.floor(r() * 100)) },
                expected: { value: text(4) },
              },
            },
          }),
        ),
      () => Buffer.from(JSON.stringify({ event_id: "s", state: pick(["online", "bad", 3]) })),
      () => bytes(Math.floor(r() * 64)),
      () => Buffer.alloc(70_000, 0x61), // over the 64 KiB payload limit
    ])();
  const garbage = (id: number): Buffer =>
    pick([
      () => Buffer.concat([Buffer.from([0x30]), varint(200_000_000)]), // a length header that lies
      () => Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]), // a malformed length
      () => publishPacket(topic(), payload(), 0, id).subarray(0, 1 + Math.floor(r() * 10)), // cut short
      () => bytes(1 + Math.floor(r() * 32)),
      () => Buffer.from([0xc0, 0x00]), // PINGREQ
      () => packet(pick([0x00, 0xf0, 0x20, 0x62]), bytes(Math.floor(r() * 8))), // reserved / server-only
    ])();
  const next = (id: number): Buffer => {
    const k = r();
    if (k < 0.55) return publishPacket(topic(), payload(), pick([0, 1, 2]), id);
    if (k < 0.8) return subscribePacket(topic(), id);
    return garbage(id);
  };
  const batches: Buffer[][] = [];
  let total = 0;
  while (total < count) {
    const batch: Buffer[] = [];
    const c = r();
    if (c < 0.6) batch.push(connectPacket(`f${total}`, pick(logins)));
    else if (c < 0.7)
      batch.push(connectPacket(`f${total}`, { username: "mapper", password: text(10) }));
    else if (c < 0.8) batch.push(connectPacket(`f${total}`));
    const n = 1 + Math.floor(r() * 12);
    for (let i = 0; i < n && total + batch.length < count; i++) batch.push(next(1 + i));
    total += batch.length;
    batches.push(batch);
  }
  return batches;
}
