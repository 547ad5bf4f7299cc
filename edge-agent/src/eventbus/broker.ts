/**
 * The embedded broker (mode `internal`): aedes on a TCP port, 127.0.0.1:1884 by default as
 * KubeEdge's internal broker. aedes speaks MQTT 3.1.1 (and 3.1), not 5. The agent itself
 * subscribes and publishes in-process, without a client connection.
 */
import { createServer, type Server } from "node:net";
import { Aedes, type AedesOptions, type AedesPublishPacket } from "aedes";
import type { Logger } from "pino";
import type { MessageHandler, MqttEndpoint, PublishOptions } from "./endpoint.js";
import type { ListenAddress } from "./routes.js";

export interface InternalBrokerOptions {
  listen: ListenAddress;
  /** Messages queued per client (edgecore's mqttSessionQueueSize). */
  queueLimit: number;
  username?: string;
  password?: string;
  log: Logger;
}

export class InternalBroker implements MqttEndpoint {
  readonly kind = "internal";
  private server?: Server;
  private publishErrors = 0;

  private constructor(
    private readonly aedes: Aedes,
    private readonly opts: InternalBrokerOptions,
  ) {}

  static async start(opts: InternalBrokerOptions): Promise<InternalBroker> {
    const options: AedesOptions = { queueLimit: opts.queueLimit, concurrency: 1000 };
    if (opts.username) {
      options.authenticate = (_client, username, password, done) => {
        const okUser = username === opts.username && password?.toString() === (opts.password ?? "");
        if (okUser) return done(null, true);
        const err = Object.assign(new Error("bad username or password"), { returnCode: 4 });
        done(err as never, false);
      };
    }
    const aedes = await Aedes.createBroker(options);
    const broker = new InternalBroker(aedes, opts);
    await broker.listen();
    return broker;
  }

  /** The port actually bound (useful with port 0). */
  get port(): number {
    const addr = this.server?.address();
    return typeof addr === "object" && addr ? addr.port : 0;
  }

  get connected(): boolean {
    return !this.aedes.closed;
  }

  get clients(): number {
    return this.aedes.connectedClients;
  }

  get errors(): number {
    return this.publishErrors;
  }

  private listen(): Promise<void> {
    // Replies follow requests: without TCP_NODELAY they can wait for a delayed ACK (40 ms).
    const server = createServer(socket => {
      socket.setNoDelay(true);
      this.aedes.handle(socket);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", error => {
        const where = `${this.opts.listen.host}:${this.opts.listen.port}`;
        reject(new Error(`embedded MQTT broker cannot listen on ${where}`, { cause: error }));
      });
      server.listen(this.opts.listen.port, this.opts.listen.host, () => {
        this.opts.log.info(
          { host: this.opts.listen.host, port: this.port },
          "embedded MQTT broker listening",
        );
        resolve();
      });
    });
  }

  subscribe(topics: readonly string[], onMessage: MessageHandler): Promise<void> {
    const deliver = (packet: AedesPublishPacket, done: () => void): void => {
      try {
        onMessage(
          packet.topic,
          Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
        );
      } finally {
        done();
      }
    };
    return Promise.all(
      topics.map(t => new Promise<void>(resolve => this.aedes.subscribe(t, deliver, resolve))),
    ).then(() => undefined);
  }

  publish(topic: string, payload: string, opts: PublishOptions): void {
    const packet = {
      cmd: "publish" as const,
      topic,
      payload: Buffer.from(payload),
      qos: opts.qos,
      retain: opts.retain,
      dup: false,
    };
    this.aedes.publish(packet, error => {
      if (!error) return;
      this.publishErrors++;
      this.opts.log.warn({ err: error, topic }, "embedded broker publish failed");
    });
  }

  async close(): Promise<void> {
    await new Promise<void>(resolve => this.aedes.close(() => resolve()));
    const server = this.server;
    if (server) await new Promise<void>(resolve => server.close(() => resolve()));
  }
}
