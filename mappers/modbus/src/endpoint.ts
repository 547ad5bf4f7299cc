/**
 * One shared connection to a Modbus endpoint (a TCP server or a serial line) for every device
 * behind it. Requests are serialised — an RTU line carries one request at a time and many
 * TCP gateways behave the same — and the connection is opened lazily by the next request.
 * Backoff keeps absent devices from being hammered: after a failed connect for the whole
 * endpoint, after a request timeout only for that slave id (one dead slave on a multi-drop
 * line or behind a gateway must not take its neighbours offline).
 */
import type { Logger } from "@kubeedge-ts/mapper-common";
import { Backoff } from "./backoff.js";
import { ModbusOfflineError, fromJsModbus, needsReset } from "./errors.js";
import { endpointKey, type EndpointTarget } from "./target.js";
import { openTransport, type ModbusClient, type Transport } from "./transport.js";

export interface EndpointOptions {
  timeoutMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  log: Logger;
}

export class Endpoint {
  readonly key: string;
  private transport?: Transport;
  private readonly slaves = new Map<number, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly connectBackoff: Backoff;
  private readonly slaveBackoff = new Map<number, Backoff>();
  private closed = false;
  private readonly log: Logger;

  constructor(
    readonly target: EndpointTarget,
    private readonly opts: EndpointOptions,
  ) {
    this.key = endpointKey(target);
    this.log = opts.log.child({ endpoint: this.key });
    this.connectBackoff = this.newBackoff();
  }

  private newBackoff(): Backoff {
    return new Backoff(this.opts.backoffMinMs, this.opts.backoffMaxMs);
  }

  /** Counts a device using the endpoint (the pool closes the endpoint when none is left). */
  addSlave(id: number): void {
    this.slaves.set(id, (this.slaves.get(id) ?? 0) + 1);
  }

  /** Returns true when no device uses the endpoint any more. */
  removeSlave(id: number): boolean {
    const n = (this.slaves.get(id) ?? 1) - 1;
    if (n <= 0) {
      this.slaves.delete(id);
      this.slaveBackoff.delete(id);
    } else this.slaves.set(id, n);
    return this.slaves.size === 0;
  }

  /** Runs one request for `slaveId`, after every request queued before it. */
  run<T>(slaveId: number, where: string, fn: (client: ModbusClient) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.exec(slaveId, where, fn));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async exec<T>(
    slaveId: number,
    where: string,
    fn: (c: ModbusClient) => Promise<T>,
  ): Promise<T> {
    const slave = this.slaveBackoff.get(slaveId) ?? this.newBackoff();
    this.slaveBackoff.set(slaveId, slave);
    const silent = slave.waiting();
    if (silent !== undefined) throw new ModbusOfflineError(`${silent} (retrying)`);
    const transport = await this.open();
    let result: T;
    try {
      result = await this.untilClosed(transport, fn(transport.client(slaveId)));
    } catch (err) {
      if (transport.closedReason) {
        throw new ModbusOfflineError(`${this.key}: ${transport.closedReason}`);
      }
      const failure = fromJsModbus(err, `${this.key} slave ${slaveId} ${where}`);
      if (needsReset(err)) this.reset(`after ${(err as { err: string }).err}`);
      // Requests queued for a slave that did not answer fail at once until its backoff ends,
      // instead of each waiting out its own timeout.
      if ((err as { err?: string }).err === "Timeout" && slave.fail(failure.message)) {
        this.log.warn(
          { slave: slaveId, reason: failure.message },
          "slave not answering; backing off",
        );
      }
      throw failure;
    }
    if (slave.succeed() > 0) this.log.info({ slave: slaveId }, "slave answers again");
    return result;
  }

  /**
   * jsmodbus queues a request made after its stream closed and starts the request's timeout
   * only once it is sent, which never happens: a connection that a gateway accepts and drops
   * at once would block the endpoint's queue for good. The close fails the request instead.
   */
  private untilClosed<T>(transport: Transport, request: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const closed = (reason: string): void =>
        reject(new ModbusOfflineError(`${this.key}: ${reason}`));
      if (transport.closedReason) return closed(transport.closedReason);
      const off = transport.onClose(closed);
      request.then(resolve, reject).finally(off);
    });
  }

  private async open(): Promise<Transport> {
    if (this.closed) throw new ModbusOfflineError(`${this.key}: endpoint closed`);
    if (this.transport && !this.transport.closedReason) return this.transport;
    this.transport = undefined;
    const refused = this.connectBackoff.waiting();
    if (refused !== undefined) throw new ModbusOfflineError(`${refused} (reconnecting)`);
    try {
      const t = await openTransport(this.target, this.opts.timeoutMs);
      // Closes we cause (reset, shutdown) detach the transport first; only a lost one is news.
      t.onClose(reason => this.transport === t && this.log.warn({ reason }, "connection lost"));
      if (this.connectBackoff.succeed() > 0) this.log.info("connected again");
      this.transport = t;
      return t;
    } catch (err) {
      const offline =
        err instanceof ModbusOfflineError
          ? err
          : new ModbusOfflineError(`${this.key}: ${String(err)}`);
      if (this.connectBackoff.fail(offline.message)) {
        this.log.warn({ reason: offline.message }, "cannot connect; backing off");
      }
      throw offline;
    }
  }

  private reset(reason: string): void {
    this.log.debug({ reason }, "reopening connection");
    this.transport?.close();
    this.transport = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    this.transport?.close();
    this.transport = undefined;
  }
}
