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
    try {
      return await fn(client);
    } catch (err) {
      if (transport.closedReason)
        throw new ModbusOfflineError(`${this.key}: ${transport.closedReason}`);
      if (needsReset(err)) this.reset(`after ${(err as { err: string }).err}`);
      throw fromJsModbus(err, `${this.key} slave ${slaveId} ${where}`);
    }
  }

  private async open(): Promise<Transport> {
    if (this.closed) throw new ModbusOfflineError(`${this.key}: endpoint closed`);
    if (this.transport && !this.transport.closedReason) return this.transport;
    this.transport = undefined;
    const wait = this.retryAt - Date.now();
    if (wait > 0)
      throw new ModbusOfflineError(`${this.lastError} (reconnecting)`);
    try {
      const t = await openTransport(this.target, this.opts.timeoutMs);
      // Closes we cause (reset, shutdown) detach the transport first; only a lost one is news.
      t.onClose(reason => this.transport === t && this.log.warn({ reason }, "connection lost"));
      if (this.failures > 0) this.log.info({ after: this.failures }, "reconnected");
      this.failures = 0;
      this.transport = t;
      return t;
    } catch (err) {
      this.failures++;
      const delay = Math.min(
        this.opts.backoffMaxMs,
        this.opts.backoffMinMs * 2 ** (this.failures - 1),
      );
      this.retryAt = Date.now() + delay;
      this.lastError = err instanceof Error ? err.message : String(err);
      if (this.failures === 1) this.log.warn({ reason: this.lastError }, "cannot connect");
      throw err instanceof ModbusOfflineError
        ? err
        : new ModbusOfflineError(`${this.key}: ${this.lastError}`);
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
