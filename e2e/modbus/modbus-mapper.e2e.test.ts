/**
 * The real mapper CLI against a real broker (mosquitto) and real Modbus peers (Debian's
 * pymodbus over TCP on 127.0.0.1, and over RTU through a socat pty pair). No Kubernetes.
 * The TCP peer sits behind a proxy the test controls: outages are cut or hung connections,
 * never a peer stopped and started again on the same port (another process may take it).
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import {
  configMapDir,
  type ConfigMapDir,
  startMosquitto,
  type Broker,
  MqttRecorder,
  eventually,
  float32Words,
  startPtyPair,
  startPymodbus,
  type PtyPair,
  type PymodbusServer,
  startTcpProxy,
  type TcpProxy,
  modbusProfile,
  type TestDevice,
  type TestProperty,
} from "@kubeedge-ts/testkit";
import { startMapper, type MapperProcess } from "./mapper-process.js";

const CYCLE_MS = 300;
// Generous for a loaded 2-core CI machine: a spurious timeout would flap a device offline.
const TIMEOUT_MS = 1000;
/** The mapper's reconnect back-off ceiling (MAPPER_MODBUS_BACKOFF_MAX_MS in mapper-process). */
const BACKOFF_MAX_MS = 400;
// A loaded 2-core machine stalls any process now and then: every deadline is what the mapper's
// configuration promises plus this margin, never a tight constant.
const LOAD_MARGIN_MS = 8_000;
/** A read fails on the first collect after the cut: offline within two cycles. */
const OFFLINE_AFTER_CUT_MS = 2 * CYCLE_MS + LOAD_MARGIN_MS;
// Reads on the endpoint are serialised: the other slave's read (slave 1) may time out first,
// so up to two request timeouts after the next cycle's read starts, plus a cycle.
const OFFLINE_AFTER_HANG_MS = 2 * CYCLE_MS + 2 * TIMEOUT_MS + LOAD_MARGIN_MS;
/** Back online: a reconnect after at most one back-off, then a successful collect. */
const ONLINE_AFTER_RESTORE_MS = BACKOFF_MAX_MS + TIMEOUT_MS + 2 * CYCLE_MS + LOAD_MARGIN_MS;

const thermometer = (): TestProperty[] => [
  {
    name: "temperature",
    dataType: "int",
    minimum: 0,
    maximum: 100,
    collectMs: CYCLE_MS,
    visitor: { register: "HoldingRegister", offset: 0, limit: 1 },
  },
  {
    name: "humidity",
    dataType: "float",
    accessMode: "ReadOnly",
    collectMs: CYCLE_MS,
    visitor: { register: "InputRegister", offset: 2, limit: 2 },
  },
  {
    name: "heater",
    dataType: "boolean",
    collectMs: CYCLE_MS,
    visitor: { register: "CoilRegister", offset: 1, limit: 1 },
  },
];

type TwinPayload = { twin?: Record<string, { actual?: { value?: string } }> };

describe("kubeedge-mapper-modbus with mosquitto and pymodbus", () => {
  let broker: Broker;
  let tcp: PymodbusServer;
  let proxy: TcpProxy;
  let rtu: PymodbusServer;
  let pty: PtyPair;
  let cm: ConfigMapDir;
  let mapper: MapperProcess;
  let edge: MqttRecorder;
  let devices: TestDevice[];

  const actual = (id: string, prop: string): string | undefined => {
    const updates = edge.on(deviceTopic(id, DeviceTopicSuffix.TwinUpdate));
    for (let i = updates.length - 1; i >= 0; i--) {
      const v = (updates[i].payload as TwinPayload).twin?.[prop]?.actual?.value;
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const state = (id: string): Record<string, unknown> | undefined =>
    edge.last(deviceTopic(id, DeviceTopicSuffix.StateUpdate))?.payload;
  /** The first `want` state published for the device at or after `since`. */
  const stateSince = (id: string, since: number, want: string) =>
    edge
      .on(deviceTopic(id, DeviceTopicSuffix.StateUpdate))
      .find(m => m.at >= since && m.payload.state === want);
  const delta = (id: string, values: Record<string, string>): Promise<void> =>
    edge.publish(deviceTopic(id, DeviceTopicSuffix.TwinUpdateDelta), {
      event_id: "",
      timestamp: Date.now(),
      twin: {},
      delta: values,
    });

  beforeAll(async () => {
    broker = await startMosquitto();
    tcp = await startPymodbus({ slaves: [1, 7] });
    proxy = await startTcpProxy({ port: tcp.port! });
    pty = await startPtyPair();
    rtu = await startPymodbus({ rtuPath: pty.b, slaves: [3] });
    devices = [
      { id: "default/thermo-tcp", slaveId: 7, tcpPort: proxy.port, properties: thermometer() },
      { id: "default/thermo-rtu", slaveId: 3, serialPort: pty.a, properties: thermometer() },
      {
        id: "default/broken",
        slaveId: 1,
        tcpPort: proxy.port,
        properties: [
          {
            name: "temperature",
            dataType: "int",
            collectMs: CYCLE_MS,
            visitor: { register: "HoldingRegister", offset: 5000, limit: 1 },
          },
        ],
      },
      {
        id: "default/bad-visitor",
        slaveId: 1,
        tcpPort: proxy.port,
        properties: [
          {
            name: "temperature",
            dataType: "int",
            visitor: { register: "HoldingRegister", offset: "zero", limit: 1 },
          },
        ],
      },
    ];
    await tcp.set(7, "hr", 0, [21]);
    await tcp.set(7, "ir", 2, float32Words(45.5));
    await rtu.set(3, "hr", 0, [19]);
    await rtu.set(3, "ir", 2, float32Words(60.25));
    await rtu.set(3, "co", 1, [1]);
    edge = await MqttRecorder.start(broker.url, ["$hw/events/device/#"]);
    cm = configMapDir("deviceProfile.json", JSON.stringify(modbusProfile(devices)));
    mapper = await startMapper(cm.path, broker.url, {
      MAPPER_MODBUS_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    await mapper?.stop();
    // MODBUS_E2E_LOG=<file> keeps the mapper's log for a failed CI run.
    if (process.env.MODBUS_E2E_LOG && mapper)
      writeFileSync(process.env.MODBUS_E2E_LOG, mapper.child.output());
    await edge?.close();
    await rtu?.stop();
    await pty?.stop();
    await proxy?.close();
    await tcp?.stop();
    await broker?.stop();
  });

  it("reports the values the TCP server holds, with type metadata, and state online", async () => {
    await eventually(
      "tcp values",
      () =>
        actual("default/thermo-tcp", "temperature") === "21" &&
        actual("default/thermo-tcp", "humidity") === "45.5",
    );
    expect(actual("default/thermo-tcp", "heater")).toBe("false");
    const update = edge.last(deviceTopic("default/thermo-tcp", DeviceTopicSuffix.TwinUpdate))!
      .payload as { twin: Record<string, { metadata: { type: string } }> };
    expect(Object.values(update.twin)[0].metadata.type).toMatch(/int|float|boolean/);
    await eventually("online", () => state("default/thermo-tcp")?.state === "online");
  });

  it("reports the values the RTU server holds over the socat pty", async () => {
    await eventually(
      "rtu values",
      () =>
        actual("default/thermo-rtu", "temperature") === "19" &&
        actual("default/thermo-rtu", "humidity") === "60.25",
    );
    expect(actual("default/thermo-rtu", "heater")).toBe("true");
    expect(state("default/thermo-rtu")?.state).toBe("online");
  });

  it("writes a desired value from a delta into the TCP server's register and the reported value follows", async () => {
    await delta("default/thermo-tcp", { temperature: "30", heater: "true" });
    await eventually("register 30", async () => (await tcp.get(7, "hr", 0, 1))[0] === 30);
    await eventually("coil on", async () => (await tcp.get(7, "co", 1, 1))[0] === 1);
    await eventually(
      "reported 30",
      () =>
        actual("default/thermo-tcp", "temperature") === "30" &&
        actual("default/thermo-tcp", "heater") === "true",
    );
  });

  it("writes a desired value over RTU and the reported value follows", async () => {
    await delta("default/thermo-rtu", { temperature: "55" });
    await eventually("rtu register 55", async () => (await rtu.get(3, "hr", 0, 1))[0] === 55);
    await eventually("rtu reported 55", () => actual("default/thermo-rtu", "temperature") === "55");
  });

  it("refuses desired values out of range or for ReadOnly properties and leaves the registers alone", async () => {
    await delta("default/thermo-tcp", { temperature: "101", humidity: "10" });
    await mapper.waitForLog(
      "range refusal",
      l =>
        l.msg === "desired value refused" &&
        l.property === "temperature" &&
        /above maximum 100/.test(String(l.reason)),
    );
    await mapper.waitForLog(
      "read-only refusal",
      l =>
        l.msg === "desired value refused" &&
        l.property === "humidity" &&
        /ReadOnly/.test(String(l.reason)),
    );
    expect(await tcp.get(7, "hr", 0, 1)).toEqual([30]);
    expect(await tcp.get(7, "ir", 2, 2)).toEqual(float32Words(45.5));
  });

  it("reports an exception response (illegal address) as unhealthy with the reason, without crashing", async () => {
    const s = await eventually("unhealthy", () =>
      state("default/broken")?.state === "unhealthy" ? state("default/broken") : undefined,
    );
    expect(String(s.reason)).toMatch(/illegal data address \(exception 2/);
    expect(mapper.child.proc.exitCode).toBeNull();
  });

  it("refuses the device with a bad visitor with a log line naming device and field, while others run", async () => {
    const line = await mapper.waitForLog(
      "refusal",
      l =>
        l.device === "default/bad-visitor" &&
        l.field === "propertyVisitors[0].visitorConfig.offset",
    );
    expect(line.msg).toContain("default/bad-visitor");
    expect(line.msg).toContain("propertyVisitors[0].visitorConfig.offset");
    expect(edge.on(deviceTopic("default/bad-visitor", DeviceTopicSuffix.StateUpdate))).toEqual([]);
    const health = (await (await fetch(`${mapper.httpUrl}/healthz`)).json()) as {
      ok: boolean;
      devices: Record<string, unknown>;
    };
    expect(health.ok).toBe(true);
    expect((await fetch(`${mapper.httpUrl}/readyz`)).status).toBe(200);
    expect(Object.keys(health.devices).sort()).toEqual([
      "default/broken",
      "default/thermo-rtu",
      "default/thermo-tcp",
    ]);
    const metrics = await (await fetch(`${mapper.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/kubeedge_mapper_refused_devices\{protocol="modbus"\} 1/);
    expect(metrics).toMatch(/kubeedge_mapper_reads_total\{protocol="modbus",result="ok"\} \d+/);
  });

  it("goes offline within two collect cycles when the link to the server is cut, and online when it is restored", async () => {
    // Precondition: a state change is published only on change, so start from online.
    await eventually(
      "online before the cut",
      () => state("default/thermo-tcp")?.state === "online",
    );
    const cutAt = Date.now();
    proxy.cut();
    await eventually(
      "offline",
      () => stateSince("default/thermo-tcp", cutAt, "offline"),
      OFFLINE_AFTER_CUT_MS,
    );
    expect(state("default/thermo-rtu")?.state).toBe("online");
    await tcp.set(7, "hr", 0, [33]);
    const restoredAt = Date.now();
    proxy.restore();
    await eventually(
      "online again",
      () => stateSince("default/thermo-tcp", restoredAt, "online"),
      ONLINE_AFTER_RESTORE_MS,
    );
    await eventually(
      "reads again",
      () => actual("default/thermo-tcp", "temperature") === "33",
      CYCLE_MS + LOAD_MARGIN_MS,
    );
  });

  it("goes offline on request timeouts when the server hangs, and online when it answers again", async () => {
    await eventually(
      "online before the hang",
      () => state("default/thermo-tcp")?.state === "online",
    );
    const hungAt = Date.now();
    proxy.hang();
    try {
      const off = await eventually(
        "offline on timeout",
        () => stateSince("default/thermo-tcp", hungAt, "offline"),
        OFFLINE_AFTER_HANG_MS,
      );
      expect(String(off.payload.reason)).toMatch(/no response within timeout/);
    } finally {
      proxy.restore();
    }
    const restoredAt = Date.now();
    await eventually(
      "online after restore",
      () => stateSince("default/thermo-tcp", restoredAt, "online"),
      ONLINE_AFTER_RESTORE_MS,
    );
    expect(mapper.child.proc.exitCode).toBeNull();
  });

  it("marks the RTU device offline while nothing answers on the line, and online when it does", async () => {
    await eventually(
      "rtu online before the hang",
      () => state("default/thermo-rtu")?.state === "online",
    );
    // SIGSTOP: the device end of the line stays open but nothing answers.
    const pausedAt = Date.now();
    rtu.pause();
    try {
      const off = await eventually(
        "rtu offline",
        () => stateSince("default/thermo-rtu", pausedAt, "offline"),
        OFFLINE_AFTER_HANG_MS,
      );
      expect(String(off.payload.reason)).toMatch(/no response within timeout at rtu:/);
      expect(state("default/thermo-tcp")?.state).toBe("online");
    } finally {
      rtu.resume();
    }
    await rtu.set(3, "hr", 0, [44]);
    const resumedAt = Date.now();
    await eventually(
      "rtu online again",
      () => stateSince("default/thermo-rtu", resumedAt, "online"),
      ONLINE_AFTER_RESTORE_MS,
    );
    await eventually(
      "rtu reads again",
      () => actual("default/thermo-rtu", "temperature") === "44",
      CYCLE_MS + LOAD_MARGIN_MS,
    );
  });

  it("picks up a ConfigMap symlink swap: a fixed visitor starts its device", async () => {
    devices[3].properties[0].visitor = { register: "HoldingRegister", offset: 9, limit: 1 };
    await tcp.set(1, "hr", 9, [77]);
    cm.swap(JSON.stringify(modbusProfile(devices)));
    await eventually(
      "fixed device reports",
      () => actual("default/bad-visitor", "temperature") === "77",
      10_000,
    );
    expect(actual("default/thermo-tcp", "temperature")).toBe("33");
  });
});
