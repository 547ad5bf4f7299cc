/**
 * What a protocol plugs into the generic mapper runtime. A driver validates its part of the
 * profile (ProtocolSpec) and creates one DeviceSession per device; the runtime does the rest
 * (profile file, reconcile, desired routing, reconnects, /healthz, /metrics). Drivers whose
 * devices are polled property by property implement the smaller `PollingProtocol` and wrap it
 * with `pollingDriver()` (polling-driver.ts).
 */
import type { TypedValue } from "./convert.js";
import type { Logger } from "./logger.js";
import type { MapperMetrics } from "./metrics.js";
import type { ProtocolSpec, ResolvedDevice, ResolvedProperty } from "./profile.js";
import type { Scheduler } from "./scheduler.js";
import type { ActualValue } from "./twin-messages.js";
import type { DesiredHandler, DesiredSource } from "./twin-client.js";

/** Device state as published on `.../state/update`. */
export type RuntimeState = "online" | "offline" | "unhealthy";

export interface DeviceStatus {
  state: RuntimeState;
  reason?: string;
}

export interface Failure {
  /** `offline`: the device cannot be reached; `unhealthy`: it answered with an error. */
  state: Exclude<RuntimeState, "online">;
  reason: string;
}

/** The slice of TwinClient the runtime uses, so tests can also drive it without a broker. */
export interface TwinPort {
  publishActual(deviceId: string, values: Record<string, ActualValue>): Promise<boolean>;
  publishState(deviceId: string, state: string, reason?: string): Promise<boolean>;
  requestTwin(deviceId: string): Promise<boolean>;
  /** Optional so ports that only do twins stay valid; TwinClient implements it. */
  publishData?(topic: string, values: Record<string, ActualValue>): Promise<boolean>;
  onDesired(handler: DesiredHandler): void;
  onConnect(handler: () => void): void;
}

/** Protocol-specific topics on the mapper's MQTT connection; TwinClient implements it. */
export interface TopicPort {
  /** Subscribes exactly these topics (kept across reconnects), dropping the others. */
  listen(topics: string[]): Promise<void>;
  onMessage(handler: (topic: string, payload: Buffer) => void): void;
  /** Resolves false when the broker is unreachable and nothing was sent. */
  publishMessage(topic: string, message: object): Promise<boolean>;
}

/** What the runtime hands a driver for each device it creates. */
export interface DeviceContext {
  twin: TwinPort;
  /** Absent when the runtime runs without an MQTT connection of its own (tests). */
  topics?: TopicPort;
  /** Shared timers; keys are the driver's to choose (prefix them with the device id). */
  scheduler: Scheduler;
  /** Already bound to the device (`device` field). */
  log: Logger;
  metrics?: MapperMetrics;
}

/** One running device, as the runtime sees it. */
export interface DeviceSession<V> {
  readonly device: ResolvedDevice<V>;
  /** Undefined until the device's state is first known. */
  readonly state: DeviceStatus | undefined;
  start(): void;
  /** Stops timers and releases the device's connection. */
  stop(): Promise<void>;
  /** Desired values from a twin delta or a twin/get result; must not throw. */
  applyDesired(desired: Record<string, string>, source: DesiredSource): void;
  /** Publishes the state again and asks for the twin (after an MQTT reconnect). */
  republish(): void;
}

/** Protocol-specific MQTT topics a driver answers, besides the twin topics. */
export interface DriverTopics<S> {
  /** The exact topics to subscribe for these devices; recomputed after every profile apply. */
  subscriptions(sessions: ReadonlyMap<string, S>): string[];
  onMessage(topic: string, payload: Buffer, ctx: TopicContext<S>): void;
}

export interface TopicContext<S> {
  /** A running device by id, or by bare name when the name is unambiguous (KubeEdge <= 1.16). */
  session(id: string): S | undefined;
  publish(topic: string, message: object): Promise<boolean>;
  log: Logger;
}

export interface ProtocolDriver<V, S extends DeviceSession<V> = DeviceSession<V>>
  extends ProtocolSpec<V> {
  /** Creates (does not start) the session of a device that passed the protocol's checks. */
  createSession(device: ResolvedDevice<V>, ctx: DeviceContext): S;
  /** Devices of this protocol the mapper should leave to another mapper (no error). */
  accepts?(device: ResolvedDevice<V>): boolean;
  topics?: DriverTopics<S>;
  /** Releases what the driver shares between devices (pools, radios). */
  close?(): Promise<void>;
}

/** A device connection of a polling protocol. */
export interface DeviceConnection<V> {
  read(prop: ResolvedProperty<V>): Promise<TypedValue>;
  write(prop: ResolvedProperty<V>, value: TypedValue): Promise<void>;
  /** Releases the device's share of any pooled connection. */
  close(): Promise<void>;
}

/** A protocol read and written property by property; see pollingDriver(). */
export interface PollingProtocol<V> extends ProtocolSpec<V> {
  /** Must not throw for an unreachable device: connect lazily, fail in read/write. */
  open(device: ResolvedDevice<V>): DeviceConnection<V>;
  classify(err: unknown): Failure;
  close?(): Promise<void>;
}
