/**
 * The embedded broker (mode `internal`): aedes on a TCP port, 127.0.0.1:1884 by default as
 * KubeEdge's internal broker. aedes speaks MQTT 3.1.1 (and 3.1), not 5. The agent itself
 * subscribes and publishes in-process, without a client connection.
 *
 * Every client logs in as an identity (`broker-auth.ts`) whose topic ACL (`acl.ts`) decides
 * each PUBLISH and SUBSCRIBE; packets, payloads and topics over the limits are refused before
 * they are routed. A refused PUBLISH closes the connection (MQTT 3.1.1 cannot say no to it
 * otherwise); a refused SUBSCRIBE is answered 0x80 and the connection stays.
 */
import { createServer, type Server, type Socket } from "node:net";
import {
  Aedes,
  type AedesOptions,
  type AedesPublishPacket,
  type Client,
  type PublishPacket,
} from "aedes";
import type { Logger } from "pino";
import { checkPublish, checkSubscribe, type AclContext, type Identity } from "./acl.js";
import { authenticator, type BrokerAuthOptions } from "./broker-auth.js";
import type { MessageHandler, MqttEndpoint, PublishOptions } from "./endpoint.js";
import { GuardedSocket } from "./packet-guard.js";
import { PublishRate } from "./publish-rate.js";
import { closeUnix, listenUnix } from "./unix-listener.js";
import type { ListenAddress } from "./routes.js";

export interface BrokerLimits {
  maxPayloadBytes: number;
  /** Remaining length of one MQTT packet, checked from its header before it is buffered. */
  maxPacketBytes: number;
  maxTopicLength: number;
  /** Per client, a second's worth may come at once (token buckets); 0 = no limit. */
  maxPublishesPerSecond: number;
  maxPublishBytesPerSecond: number;
}

export const DEFAULT_BROKER_LIMITS: BrokerLimits = {
  maxPayloadBytes: 65_536,
  maxPacketBytes: 66_560,
  maxTopicLength: 512,
  maxPublishesPerSecond: 1000,
  maxPublishBytesPerSecond: 1_048_576,
};

/** Why the broker refused something; the label of `kubeedge_edge_mqtt_refused_total`. */
export type Refusal =
  | "auth"
  | "publish-acl"
  | "subscribe-acl"
  | "oversize-payload"
  | "oversize-packet"
  | "topic-length"
  | "rate";

export interface InternalBrokerOptions {
  listen: ListenAddress;
  /** Also listen on this unix socket path (0660); empty or unset: TCP only. */
  unixSocket?: string;
  /** Messages queued per client (edgecore's mqttSessionQueueSize). */
  queueLimit: number;
  auth: BrokerAuthOptions;
  acl: AclContext;
  limits?: BrokerLimits;
  onRefused?: (reason: Refusal) => void;
  log: Logger;
}

export class InternalBroker implements MqttEndpoint {
  readonly kind = "internal";
  private server?: Server;
  private unixServer?: Server;
  private publishErrors = 0;
  private readonly identities = new WeakMap<Client, Identity>();
  private readonly rates = new WeakMap<Client, PublishRate>();
  private readonly limits: BrokerLimits;

  private aedes!: Aedes;

  private constructor(private readonly opts: InternalBrokerOptions) {
    this.limits = opts.limits ?? DEFAULT_BROKER_LIMITS;
  }

  static async start(opts: InternalBrokerOptions): Promise<InternalBroker> {
    const broker = new InternalBroker(opts);
    broker.aedes = await Aedes.createBroker(broker.aedesOptions());
    await broker.listen();
    return broker;
  }

  private aedesOptions(): AedesOptions {
    const login = authenticator(this.opts.auth);
    return {
      queueLimit: this.opts.queueLimit,
      concurrency: 1000,
      authenticate: (client, username, password, done) => {
        const identity = login(username, password);
        if (identity) {
          this.identities.set(client, identity);
          this.rates.set(client, new PublishRate(this.limits));
          return done(null, true);
        }
        this.refuse("auth", { user: username ?? "" }, "MQTT login refused");
        // 5 = not authorized (anonymous off), 4 = bad user name or password.
        const returnCode = username ? 4 : 5;
        done(Object.assign(new Error("not authorized"), { returnCode }) as never, false);
      },
      authorizePublish: (client, packet, done) => {
        const refused = this.checkPublish(client, packet);
        if (refused) return done(new Error(refused));
        const delay = this.throttle(client!, packet);
        if (delay === undefined) return done(new Error("publish rate over the limit"));
        if (delay === 0) return done(null);
        setTimeout(() => done(null), delay).unref();
      },
      authorizeSubscribe: (client, sub, done) => {
        const refused = this.checkSubscribe(client, sub.topic);
        done(null, refused ? null : sub);
      },
    };
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

  private refuse(reason: Refusal, detail: Record<string, unknown>, msg: string): void {
    this.opts.onRefused?.(reason);
    // Debug only: a hostile client must not be able to flood the log.
    this.opts.log.debug({ reason, ...detail }, msg);
  }

  private checkPublish(client: Client | null, packet: PublishPacket): string | undefined {
    const identity = client ? this.identities.get(client) : undefined;
    if (!client || !identity) return "no identity";
    const { topic } = packet;
    const size = payloadSize(packet);
    let reason: Refusal | undefined;
    let why: string | undefined;
    if (topic.length > this.limits.maxTopicLength) {
      [reason, why] = ["topic-length", `topic longer than ${this.limits.maxTopicLength}`];
    } else if (size > this.limits.maxPayloadBytes) {
      [reason, why] = ["oversize-payload", `payload of ${size} bytes`];
    } else {
      why = checkPublish(identity, topic, this.opts.acl);
      if (why) reason = "publish-acl";
    }
    if (reason)
      this.refuse(
        reason,
        { client: client.id, identity: identity.name, topic, why },
        "MQTT publish refused",
      );
    return why;
  }

  /** The ms to hold an authorized PUBLISH back for its client's rate; undefined: refused. */
  private throttle(client: Client, packet: PublishPacket): number | undefined {
    const rate = this.rates.get(client);
    if (!rate) return 0;
    const delay = rate.admit(payloadSize(packet));
    if (delay === undefined) {
      this.refuse("rate", { client: client.id, topic: packet.topic }, "MQTT publish rate refused");
    }
    return delay;
  }

  private checkSubscribe(client: Client, filter: string): string | undefined {
    const identity = this.identities.get(client);
    if (!identity) return "no identity";
    if (filter.length > this.limits.maxTopicLength) {
      this.refuse("topic-length", { client: client.id, filter }, "MQTT subscribe refused");
      return "topic too long";
    }
    const why = checkSubscribe(identity, filter, this.opts.acl);
    if (why)
      this.refuse(
        "subscribe-acl",
        { client: client.id, identity: identity.name, filter, why },
        "MQTT subscribe refused",
      );
    return why;
  }

  /** One client connection, from TCP or the unix socket: cut at oversize packets. */
  private handle(socket: Socket): void {
    const guarded = new GuardedSocket(socket, this.limits.maxPacketBytes, reason =>
      this.refuse(
        "oversize-packet",
        { remote: socket.remoteAddress, reason },
        "MQTT connection cut",
      ),
    );
    this.aedes.handle(guarded);
  }

  private async listen(): Promise<void> {
    await this.listenTcp();
    const path = this.opts.unixSocket;
    if (!path) return;
    this.unixServer = await listenUnix(path, socket => this.handle(socket));
    this.opts.log.info({ path }, "embedded MQTT broker listening on a unix socket");
  }

  private listenTcp(): Promise<void> {
    // Replies follow requests: without TCP_NODELAY they can wait for a delayed ACK (40 ms).
    const server = createServer(socket => {
      socket.setNoDelay(true);
      this.handle(socket);
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

  /** The identity of a connected client by its MQTT client id (who sent a message). */
  private sender(clientId: string | undefined): Identity | undefined {
    const clients = (this.aedes as unknown as { clients: Record<string, Client | undefined> })
      .clients;
    const client = clientId ? clients[clientId] : undefined;
    return client ? this.identities.get(client) : undefined;
  }

  subscribe(topics: readonly string[], onMessage: MessageHandler): Promise<void> {
    const deliver = (packet: AedesPublishPacket, done: () => void): void => {
      try {
        onMessage(
          packet.topic,
          Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
          this.sender((packet as { clientId?: string }).clientId),
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
    if (this.unixServer) await closeUnix(this.unixServer, this.opts.unixSocket!);
  }
}

function payloadSize(packet: PublishPacket): number {
  return Buffer.isBuffer(packet.payload)
    ? packet.payload.length
    : Buffer.byteLength(packet.payload);
}
