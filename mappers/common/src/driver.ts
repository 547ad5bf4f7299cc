/** What a protocol plugs into the generic mapper runtime. */
import type { TypedValue } from "./convert.js";
import type { ProtocolSpec, ResolvedDevice, ResolvedProperty } from "./profile.js";
import type { ActualValue } from "./twin-messages.js";
import type { DesiredHandler } from "./twin-client.js";

/** Device state as published on `.../state/update`. */
export type RuntimeState = "online" | "offline" | "unhealthy";

export interface Failure {
  /** `offline`: the device cannot be reached; `unhealthy`: it answered with an error. */
  state: Exclude<RuntimeState, "online">;
  reason: string;
}

export interface DeviceConnection<V> {
  read(prop: ResolvedProperty<V>): Promise<TypedValue>;
  write(prop: ResolvedProperty<V>, value: TypedValue): Promise<void>;
  /** Releases the device's share of any pooled connection. */
  close(): Promise<void>;
}

export interface ProtocolDriver<V> extends ProtocolSpec<V> {
  /** Must not throw for an unreachable device: connect lazily, fail in read/write. */
  open(device: ResolvedDevice<V>): DeviceConnection<V>;
  classify(err: unknown): Failure;
  close?(): Promise<void>;
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
