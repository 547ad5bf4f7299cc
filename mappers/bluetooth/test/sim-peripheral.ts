/**
 * A simulated BLE radio for tests: a websocket server speaking the protocol of noble's websocket
 * bindings (the server side of noble's ws-slave.js), with GATT peripherals behind it. The
 * mapper's real noble central code — scanning, connecting, discovery, reads, writes and
 * notifications — runs against it unchanged.
 */
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface SimCharacteristic {
  uuid: string;
  properties: string[];
  value: Buffer;
  /** Called after a write is stored; may change other characteristics. */
  onWrite?: (data: Buffer) => void;
  /** Computes the value on each read (the stored value otherwise). */
  onRead?: () => Buffer;
}

export interface SimService {
  uuid: string;
  characteristics: SimCharacteristic[];
}

type Command = Record<string, unknown> & { action: string; peripheralUuid?: string };

export class SimPeripheral {
  advertising = true;
  connected = false;
  /** Stops answering GATT requests while the link stays up (a hung peripheral). */
  mute = false;
  readonly subscribed = new Set<string>();
  /** Every GATT request the central made, e.g. "read f000aa01...", "write f000aa02... 01". */
  readonly log: string[] = [];

  constructor(
    private readonly radio: SimRadio,
    readonly id: string,
    readonly address: string,
    readonly localName: string,
    readonly services: SimService[],
  ) {}

  characteristic(uuid: string): SimCharacteristic {
    for (const s of this.services) {
      const c = s.characteristics.find(x => x.uuid === uuid);
      if (c) return c;
    }
    throw new Error(`no characteristic ${uuid}`);
  }

  serviceOf(uuid: string): string {
    return this.services.find(s => s.characteristics.some(c => c.uuid === uuid))!.uuid;
  }

  /** Sends a notification if the central subscribed; returns whether it was sent. */
  notify(uuid: string, data: Buffer): boolean {
    this.characteristic(uuid).value = data;
    if (!this.connected || !this.subscribed.has(uuid)) return false;
    this.radio.send({
      type: "read",
      peripheralUuid: this.id,
      serviceUuid: this.serviceOf(uuid),
      characteristicUuid: uuid,
      data: data.toString("hex"),
      isNotification: true,
    });
    return true;
  }

  /** Walks out of range: the link drops and it stops advertising. */
  disappear(): void {
    this.advertising = false;
    if (this.connected) this.dropLink();
  }

  /** Comes back in range and advertises again. */
  appear(): void {
    this.advertising = true;
    this.radio.advertise(this);
  }

  dropLink(): void {
    this.connected = false;
    this.subscribed.clear();
    this.radio.send({ type: "disconnect", peripheralUuid: this.id });
  }
}

export class SimRadio {
  private readonly peripherals = new Map<string, SimPeripheral>();
  private readonly clients = new Set<WebSocket>();
  private scanning = false;

  private constructor(
    private readonly server: WebSocketServer,
    readonly url: string,
  ) {
    server.on("connection", ws => {
      this.clients.add(ws);
      ws.on("close", () => this.clients.delete(ws));
      ws.on("message", data => this.handle(JSON.parse(String(data)) as Command));
      ws.send(JSON.stringify({ type: "stateChange", state: "poweredOn" }));
    });
  }

  static async start(): Promise<SimRadio> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>(resolve => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    return new SimRadio(server, `ws://127.0.0.1:${port}`);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  add(id: string, address: string, localName: string, services: SimService[]): SimPeripheral {
    const p = new SimPeripheral(this, id, address, localName, services);
    this.peripherals.set(id, p);
    return p;
  }

  /** Switches the radio off (every link drops, scanning stops) or on again. */
  setPower(on: boolean): void {
    if (!on) {
      this.scanning = false;
      this.peripherals.forEach(p => {
        p.connected = false;
        p.subscribed.clear();
      });
    }
    this.send({ type: "stateChange", state: on ? "poweredOn" : "poweredOff" });
  }

  send(event: Record<string, unknown>): void {
    const text = JSON.stringify(event);
    for (const ws of this.clients) ws.send(text);
  }

  advertise(p: SimPeripheral): void {
    if (!this.scanning || !p.advertising) return;
    this.send({
      type: "discover",
      peripheralUuid: p.id,
      address: p.address,
      addressType: "public",
      connectable: true,
      advertisement: { localName: p.localName, serviceUuids: p.services.map(s => s.uuid) },
      rssi: -50,
    });
  }

  async close(): Promise<void> {
    for (const ws of this.clients) ws.terminate();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(cmd: Command): void {
    if (cmd.action === "startScanning") {
      this.scanning = true;
      this.peripherals.forEach(p => this.advertise(p));
      return;
    }
    if (cmd.action === "stopScanning") {
      this.scanning = false;
      return;
    }
    const p = this.peripherals.get(String(cmd.peripheralUuid));
    if (p) this.handleGatt(p, cmd);
  }

  private handleGatt(p: SimPeripheral, cmd: Command): void {
    const id = p.id;
    const uuid = String(cmd.characteristicUuid ?? "");
    switch (cmd.action) {
      case "connect":
        // Out of range: no answer at all, as with a real radio (the central times out).
        if (!p.advertising) return;
        p.connected = true;
        p.log.push("connect");
        return this.send({ type: "connect", peripheralUuid: id });
      case "disconnect":
        p.log.push("disconnect");
        if (p.connected) p.dropLink();
        return;
      case "discoverServices":
        p.log.push("discoverServices");
        return this.send({
          type: "servicesDiscover",
          peripheralUuid: id,
          serviceUuids: p.services.map(s => s.uuid),
        });
      case "discoverCharacteristics": {
        const service = p.services.find(s => s.uuid === cmd.serviceUuid);
        const characteristics = (service?.characteristics ?? []).map(c => ({
          uuid: c.uuid,
          properties: c.properties,
        }));
        return this.send({
          type: "characteristicsDiscover",
          peripheralUuid: id,
          serviceUuid: cmd.serviceUuid,
          characteristics,
        });
      }
      default:
        if (!p.connected || p.mute) return; // a dropped or hung link answers nothing
        return this.handleAttribute(p, cmd, uuid);
    }
  }

  private handleAttribute(p: SimPeripheral, cmd: Command, uuid: string): void {
    const c = p.characteristic(uuid);
    const where = { peripheralUuid: p.id, serviceUuid: cmd.serviceUuid, characteristicUuid: uuid };
    if (cmd.action === "read") {
      const value = c.onRead ? c.onRead() : c.value;
      p.log.push(`read ${uuid}`);
      this.send({ type: "read", ...where, data: value.toString("hex"), isNotification: false });
    } else if (cmd.action === "write") {
      const data = Buffer.from(String(cmd.data), "hex");
      p.log.push(`write ${uuid} ${data.toString("hex")}`);
      c.value = data;
      c.onWrite?.(data);
      this.send({ type: "write", ...where });
    } else if (cmd.action === "notify") {
      const on = cmd.notify === true;
      p.log.push(`notify ${uuid} ${on ? "on" : "off"}`);
      if (on) p.subscribed.add(uuid);
      else p.subscribed.delete(uuid);
      this.send({ type: "notify", ...where, state: on });
    }
  }
}

/** TI CC2650 SensorTag's IR temperature service, as KubeEdge's sample device uses it. */
export const SENSORTAG = {
  service: "f000aa0004514000b000000000000000",
  data: "f000aa0104514000b000000000000000",
  config: "f000aa0204514000b000000000000000",
  period: "f000aa0304514000b000000000000000",
};

/** Encodes °C like the TMP007: 14 bits, 0.03125 °C per step, left-aligned in 16, little-endian. */
export function encodeTemperature(celsius: number): Buffer {
  const raw = Math.round(celsius / 0.03125) << 2;
  const b = Buffer.alloc(4);
  b.writeUInt16LE(raw, 0);
  b.writeUInt16LE(raw, 2);
  return b;
}

export interface SensorTag {
  peripheral: SimPeripheral;
  /** Sets the measured temperature; notifies when the sensor is on and subscribed. */
  setTemperature(celsius: number): boolean;
  readonly enabled: boolean;
}

/** A SensorTag: the data characteristic reads zeros until 0x01 is written to config. */
export function addSensorTag(radio: SimRadio, address: string, celsius = 21.5): SensorTag {
  let temperature = celsius;
  const config: SimCharacteristic = {
    uuid: SENSORTAG.config,
    properties: ["read", "write"],
    value: Buffer.from([0]),
  };
  const enabled = (): boolean => config.value[0] === 1;
  const reading = (): Buffer => (enabled() ? encodeTemperature(temperature) : Buffer.alloc(4));
  const data: SimCharacteristic = {
    uuid: SENSORTAG.data,
    properties: ["read", "notify"],
    value: Buffer.alloc(4),
    onRead: reading,
  };
  const period: SimCharacteristic = {
    uuid: SENSORTAG.period,
    properties: ["read", "write"],
    value: Buffer.from([100]),
  };
  const id = address.replace(/:/g, "").toLowerCase();
  const peripheral = radio.add(id, address.toLowerCase(), "CC2650 SensorTag", [
    { uuid: SENSORTAG.service, characteristics: [data, config, period] },
  ]);
  return {
    peripheral,
    setTemperature(c: number): boolean {
      temperature = c;
      return enabled() && peripheral.notify(SENSORTAG.data, reading());
    },
    get enabled(): boolean {
      return enabled();
    },
  };
}
