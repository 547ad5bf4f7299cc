/**
 * A client of an external broker (mode `external`, e.g. mosquitto): subscribes to KubeEdge's
 * topics and publishes replies. Reconnects by itself and resubscribes on reconnect.
 */
import { readFileSync } from "node:fs";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "pino";
import type { TlsFiles } from "../config/types.js";
import type { MessageHandler, MqttEndpoint, PublishOptions } from "./endpoint.js";
import { clientUrl } from "./routes.js";

export interface ExternalClientOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  tls?: TlsFiles;
  log: Logger;
}

function tlsOptions(tls: TlsFiles | undefined): Partial<IClientOptions> {
  if (!tls?.enable) return {};
  const read = (f?: string): Buffer | undefined => (f ? readFileSync(f) : undefined);
  return {
    ca: read(tls.caFile),
    cert: read(tls.certFile),
    key: read(tls.keyFile),
    rejectUnauthorized: true,
  };
}

export class ExternalClient implements MqttEndpoint {
  readonly kind = "external";
  private handler?: MessageHandler;
  private topics: string[] = [];
  private publishErrors = 0;
  private subscribed!: Promise<void>;
  private markSubscribed!: () => void;

  private constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
  ) {
    this.subscribed = new Promise(resolve => (this.markSubscribed = resolve));
    client.on("message", (topic, payload) => this.handler?.(topic, payload));
    client.on("connect", () => {
      log.info("connected to external MQTT broker");
      void this.resubscribe();
    });
    client.on("offline", () => log.warn("external MQTT broker unreachable"));
    client.on("error", err => log.warn({ err: err.message }, "external MQTT client error"));
  }

  /**
   * Starts connecting and returns at once: like KubeEdge's LoopConnect, a broker that is not
   * up yet is retried every second rather than failing the agent.
   */
  static connect(opts: ExternalClientOptions): ExternalClient {
    const client = mqtt.connect(clientUrl(opts.url), {
      clientId: opts.clientId,
      username: opts.username || undefined,
      password: opts.password || undefined,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      ...tlsOptions(opts.tls),
    });
    return new ExternalClient(client, opts.log);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  get errors(): number {
    return this.publishErrors;
  }

  /** Resolves once the subscriptions were confirmed by the broker (first connection). */
  ready(timeoutMs: number): Promise<boolean> {
    return Promise.race([
      this.subscribed.then(() => true),
      new Promise<boolean>(resolve => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
  }

  async subscribe(topics: readonly string[], onMessage: MessageHandler): Promise<void> {
    this.handler = onMessage;
    this.topics = [...topics];
    if (this.client.connected) await this.resubscribe();
  }

  private async resubscribe(): Promise<void> {
    if (this.topics.length === 0) return;
    try {
      await this.client.subscribeAsync(this.topics, { qos: 1 });
      this.markSubscribed();
    } catch (error) {
      this.log.warn({ err: error }, "subscribing on the external broker failed");
    }
  }

  publish(topic: string, payload: string, opts: PublishOptions): void {
    this.client.publish(topic, payload, { qos: opts.qos, retain: opts.retain }, error => {
      if (!error) return;
      this.publishErrors++;
      this.log.warn({ err: error.message, topic }, "external broker publish failed");
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
