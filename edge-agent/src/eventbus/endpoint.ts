/** One MQTT broker the EventBus talks to: the embedded one or an external one. */
import type { Identity } from "./acl.js";

/** `from`: who sent it, known on the embedded broker only. */
export type MessageHandler = (topic: string, payload: Buffer, from?: Identity) => void;

export interface PublishOptions {
  qos: 0 | 1 | 2;
  retain: boolean;
}

export interface MqttEndpoint {
  readonly kind: "internal" | "external";
  /** Subscribes to the topics; resolves once the broker confirmed them. */
  subscribe(topics: readonly string[], onMessage: MessageHandler): Promise<void>;
  /** Publishes; failures are counted and logged, never thrown (a mapper may just be gone). */
  publish(topic: string, payload: string, opts: PublishOptions): void;
  close(): Promise<void>;
  readonly connected: boolean;
}
