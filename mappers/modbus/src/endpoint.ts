/**
 * One shared connection to a Modbus endpoint (a TCP server or a serial line) for every device
 * behind it. Requests are serialised — an RTU line carries one request at a time and many
 * TCP gateways behave the same — and the connection is opened lazily by the next request,
 * with exponential backoff after failures so an absent device is not hammered.
 */
import type { Logger } from "@kubeedge-ts/mapper-common";
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
  private failures = 0;
  private retryAt = 0;
  private lastError = "";
  private closed = false;
  private readonly log: Logger;

  constructor(
    readonly target: EndpointTarget,
    private readonly opts: EndpointOptions,
  ) {
    this.key = endpointKey(target);
    this.log = opts.log.child({ endpoint: this.key });
  }

  /** Counts a device using the endpoint (the pool closes the endpoint when none is left). */
  addSlave(id: number): void {
    this.slaves.set(id, (this.slaves.get(id) ?? 0) + 1);
  }

  /** Returns true when no device uses the endpoint any more. */
  removeSlave(id: number): boolean {
    const n = (this.slaves.get(id) ?? 1) - 1;
    if (n <= 0) this.slaves.delete(id);
    else this.slaves.set(id, n);
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
    const transport = await this.open();
    const client = transport.client(slaveId);
    let result: T;
    try {
      result = await fn(client);
    } catch (err) {
      if (transport.closedReason) {
        throw new ModbusOfflineError(`${this.key}: ${transport.closedReason}`);
      }
      const failure = fromJsModbus(err, `${this.key} slave ${slaveId} ${where}`);
      if (needsReset(err)) this.reset(`after ${(err as { err: string }).err}`);
      // A hung endpoint is treated like an unreachable one: the requests queued behind the
      // one that timed out fail at once instead of each waiting out its own timeout.
      if ((err as { err?: string }).err === "Timeout") this.backoff(failure.message);
      throw failure;
    }
    if (this.failures > 0) this.log.info({ after: this.failures }, "endpoint answers again");
    this.failures = 0;
    return result;
  }

  private backoff(reason: string): void {
    this.failures++;
    const delay = Math.min(
      this.opts.backoffMaxMs,
      this.opts.backoffMinMs * 2 ** (this.failures - 1),
    );
    this.retryAt = Date.now() + delay;
    this.lastError = reason;
    if (this.failures === 1) this.log.warn({ reason }, "endpoint unreachable; backing off");
  }

  private async open(): Promise<Transport> {
    if (this.closed) throw new ModbusOfflineError(`${this.key}: endpoint closed`);
    if (this.transport && !this.transport.closedReason) return this.transport;
    this.transport = undefined;
    if (this.retryAt > Date.now()) throw new ModbusOfflineError(`${this.lastError} (reconnecting)`);
    try {
      const t = await openTransport(this.target, this.opts.timeoutMs);
      // Closes we cause (reset, shutdown) detach the transport first; only a lost one is news.
      t.onClose(reason => this.transport === t && this.log.warn({ reason }, "connection lost"));
      this.transport = t;
      return t;
    } catch (err) {
      const offline =
        err instanceof ModbusOfflineError
          ? err
          : new ModbusOfflineError(`${this.key}: ${String(err)}`);
      this.backoff(offline.message);
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
