/**
 * The runtime with a driver that owns its device loop (not a polling one) and topics of its
 * own, through in-memory twin and topic ports: sessions follow the profile, desired values and
 * topic messages reach the right session, replies go out through the port.
 */
import type { DeviceProfile } from "@kubeedge-ts/contract";
import type {
  DeviceContext,
  DeviceSession,
  DeviceStatus,
  ProtocolDriver,
  TopicPort,
  TwinPort,
} from "./driver.js";
import { createLogger } from "./logger.js";
import type { ResolvedDevice } from "./profile.js";
import { MapperRuntime } from "./runtime.js";
import type { DesiredHandler } from "./twin-client.js";

type Config = { channel: string };

class EchoSession implements DeviceSession<Config> {
  readonly desired: Record<string, string>[] = [];
  state: DeviceStatus | undefined;
  stopped = false;
  constructor(
    readonly device: ResolvedDevice<Config>,
    private readonly ctx: DeviceContext,
  ) {}
  start(): void {
    this.state = { state: "online" };
    void this.ctx.twin.publishState(this.device.id, "online");
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  applyDesired(desired: Record<string, string>): void {
    this.desired.push(desired);
  }
  republish(): void {
    void this.ctx.twin.publishState(this.device.id, "online");
  }
}

const driver: ProtocolDriver<Config, EchoSession> = {
  protocol: "echo",
  schemas: { visitorConfig: { type: "object", required: ["channel"] } },
  accepts: device => device.model.name !== "ignored",
  createSession: (device, ctx) => new EchoSession(device, ctx),
  topics: {
    subscriptions: sessions => [...sessions.keys()].map(id => `echo/${id}/ping`),
    onMessage(topic, payload, ctx) {
      const id = topic.slice("echo/".length, -"/ping".length);
      const found = ctx.session(id) !== undefined;
      void ctx.publish(`${topic}/result`, { found, body: payload.toString() });
    },
  },
};

class MemoryPorts implements TwinPort, TopicPort {
  states: [string, string][] = [];
  published: [string, object][] = [];
  listened: string[] = [];
  desired?: DesiredHandler;
  connect?: () => void;
  message?: (topic: string, payload: Buffer) => void;
  publishActual = async (): Promise<boolean> => true;
  publishState = async (id: string, state: string): Promise<boolean> => {
    this.states.push([id, state]);
    return true;
  };
  requestTwin = async (): Promise<boolean> => true;
  onDesired = (h: DesiredHandler): void => void (this.desired = h);
  onConnect = (h: () => void): void => void (this.connect = h);
  listen = async (topics: string[]): Promise<void> => void (this.listened = topics);
  onMessage = (h: (topic: string, payload: Buffer) => void): void => void (this.message = h);
  publishMessage = async (topic: string, message: object): Promise<boolean> => {
    this.published.push([topic, message]);
    return true;
  };
}

function profile(devices: { id: string; model?: string; channel?: string }[]): DeviceProfile {
  return {
    deviceInstances: devices.map(d => ({
      id: d.id,
      name: d.id.split("/").at(-1)!,
      protocol: `echo-${d.id}`,
      model: d.model ?? "m",
      propertyVisitors: [
        {
          name: "t",
          propertyName: "temperature",
          modelName: d.model ?? "m",
          protocol: "echo",
          visitorConfig: { channel: d.channel ?? "a" },
        },
      ],
    })),
    deviceModels: ["m", "ignored"].map(name => ({
      name,
      properties: [{ name: "temperature", dataType: "int" }],
    })),
    protocols: devices.map(d => ({ name: `echo-${d.id}`, protocol: "echo" })),
    propertyVisitors: [],
  };
}

describe("MapperRuntime with a session driver", () => {
  let ports: MemoryPorts;
  let runtime: MapperRuntime<Config, EchoSession>;
  beforeEach(() => {
    ports = new MemoryPorts();
    runtime = new MapperRuntime({
      driver,
      twin: ports,
      topics: ports,
      log: createLogger("t", "silent"),
    });
  });
  afterEach(() => runtime.stop());

  it("starts a session per accepted device, restarts a changed one and stops a removed one", async () => {
    await runtime.applyProfile(
      profile([{ id: "ns/a" }, { id: "ns/b" }, { id: "ns/c", model: "ignored" }]),
    );
    expect(runtime.deviceIds().sort()).toEqual(["ns/a", "ns/b"]);
    expect(runtime.states()).toEqual({ "ns/a": { state: "online" }, "ns/b": { state: "online" } });
    const a = runtime.session("ns/a")!;
    const b = runtime.session("ns/b")!;

    await runtime.applyProfile(profile([{ id: "ns/a" }, { id: "ns/b", channel: "z" }]));
    expect(runtime.session("ns/a")).toBe(a);
    expect(b.stopped).toBe(true);
    expect(runtime.session("ns/b")).not.toBe(b);

    await runtime.applyProfile(profile([{ id: "ns/b", channel: "z" }]));
    expect(a.stopped).toBe(true);
    expect(runtime.deviceIds()).toEqual(["ns/b"]);
    expect(ports.listened).toEqual(["echo/ns/b/ping"]);
  });

  it("routes desired values by id and by an unambiguous bare name, and republishes on connect", async () => {
    await runtime.applyProfile(profile([{ id: "ns/a" }, { id: "other/b" }]));
    ports.desired!("ns/a", { temperature: "1" }, "delta");
    ports.desired!("b", { temperature: "2" }, "get");
    ports.desired!("ns/zz", { temperature: "3" }, "delta");
    expect(runtime.session("ns/a")!.desired).toEqual([{ temperature: "1" }]);
    expect(runtime.session("other/b")!.desired).toEqual([{ temperature: "2" }]);
    ports.states = [];
    ports.connect!();
    expect(ports.states.sort()).toEqual([
      ["ns/a", "online"],
      ["other/b", "online"],
    ]);
  });

  it("listens on the driver's topics for the running devices and hands it their messages", async () => {
    await runtime.applyProfile(profile([{ id: "ns/a" }]));
    expect(ports.listened).toEqual(["echo/ns/a/ping"]);
    ports.message!("echo/ns/a/ping", Buffer.from("hi"));
    ports.message!("echo/ns/gone/ping", Buffer.from("?"));
    await Promise.resolve();
    expect(ports.published).toEqual([
      ["echo/ns/a/ping/result", { found: true, body: "hi" }],
      ["echo/ns/gone/ping/result", { found: false, body: "?" }],
    ]);
  });
});
