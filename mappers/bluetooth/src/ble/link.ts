/**
 * The connection to one peripheral: scan for its MAC, connect, discover every service and
 * characteristic, and do it again whenever the link drops. GATT operations are serialised
 * (noble matches replies to requests per characteristic, so two reads in flight would cross)
 * and bounded by a timeout, because noble's promises never settle when the peer vanishes.
 */
import { EventEmitter, setMaxListeners } from "node:events";
import type { Logger } from "@kubeedge-ts/mapper-common";
import type { NobleCharacteristic, NoblePeripheral } from "./noble-types.js";
import type { Scanner } from "./scanner.js";
import { normalizeUuid } from "./uuid.js";

export interface LinkOptions {
  connectTimeoutMs: number;
  opTimeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
}

export const DEFAULT_LINK_OPTIONS: LinkOptions = {
  connectTimeoutMs: 15_000,
  opTimeoutMs: 10_000,
  retryMinMs: 500,
  retryMaxMs: 30_000,
};

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

interface LinkEvents {
  connected: [];
  disconnected: [reason: string];
}

export class BleLink extends EventEmitter<LinkEvents> {
  private readonly abort = new AbortController();
  private characteristics = new Map<string, NobleCharacteristic>();
  private queue: Promise<unknown> = Promise.resolve();
  private dropLink?: (reason: string) => void;
  private loop?: Promise<void>;
  private up = false;
  private readonly unwatchAdapter: () => void;

  constructor(
    readonly mac: string,
    private readonly scanner: Scanner,
    private readonly log: Logger,
    private readonly opts: LinkOptions = DEFAULT_LINK_OPTIONS,
  ) {
    super();
    // Every schedule of the device waits for "connected"; dozens are normal, not a leak.
    this.setMaxListeners(0);
    setMaxListeners(0, this.abort.signal);
    this.unwatchAdapter = scanner.onAdapterDown(state => this.dropLink?.(`adapter ${state}`));
  }

  get connected(): boolean {
    return this.up;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.unwatchAdapter();
    await this.loop;
  }

  /** Resolves when connected, or rejects when the link is stopped first. */
  waitConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onStop = (): void => {
        this.off("connected", onConnected);
        reject(new Error("link stopped"));
      };
      const onConnected = (): void => {
        this.abort.signal.removeEventListener("abort", onStop);
        resolve();
      };
      this.once("connected", onConnected);
      this.abort.signal.addEventListener("abort", onStop, { once: true });
    });
  }

  read(uuid: string): Promise<Buffer> {
    return this.op(uuid, "read", c => c.readAsync());
  }

  write(uuid: string, data: Buffer): Promise<void> {
    // With response when the characteristic allows it, so a write is confirmed before we report it.
    return this.op(uuid, "write", c =>
      c.writeAsync(
        data,
        !c.properties.includes("write") && c.properties.includes("writeWithoutResponse"),
      ),
    );
  }

  /** Subscribes for notifications on the current connection; call again after a reconnect. */
  subscribe(uuid: string, onData: (data: Buffer) => void): Promise<void> {
    return this.op(uuid, "subscribe", async c => {
      c.removeAllListeners("data");
      c.on("data", (data: Buffer, isNotification: boolean) => {
        if (isNotification) onData(data);
      });
      await c.subscribeAsync();
    });
  }

  /** Whether the connected peripheral can notify on `uuid`. */
  canNotify(uuid: string): boolean {
    const props = this.characteristics.get(normalizeUuid(uuid))?.properties ?? [];
    return props.includes("notify") || props.includes("indicate");
  }

  private op<T>(
    uuid: string,
    what: string,
    fn: (c: NobleCharacteristic) => Promise<T>,
  ): Promise<T> {
    const run = async (): Promise<T> => {
      if (!this.connected) throw new Error(`device ${this.mac} is not connected`);
      const c = this.characteristics.get(normalizeUuid(uuid));
      if (!c) throw new Error(`device ${this.mac} has no characteristic ${uuid}`);
      try {
        return await withTimeout(fn(c), this.opts.opTimeoutMs, `${what} of ${uuid}`);
      } catch (err) {
        // A GATT request that never answers means the link is gone even if no event said so.
        if (/timed out/.test((err as Error).message)) this.dropLink?.((err as Error).message);
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let delay = this.opts.retryMinMs;
    while (!signal.aborted) {
      const wasUp = await this.session(signal).catch((err: unknown) => {
        if (!signal.aborted)
          this.log.warn(
            { err: (err as Error).message, mac: this.mac },
            "connection attempt failed",
          );
        return false;
      });
      if (signal.aborted) break;
      delay = wasUp ? this.opts.retryMinMs : Math.min(delay * 2, this.opts.retryMaxMs);
      await sleep(wasUp ? this.opts.retryMinMs : delay, signal);
    }
  }

  /** One scan → connect → discover → wait-for-drop cycle; true when it got connected. */
  private async session(signal: AbortSignal): Promise<boolean> {
    const p = await this.scanner.find(this.mac, signal);
    await this.connect(p);
    const dropped = new Promise<string>(resolve => {
      p.once("disconnect", () => resolve("peripheral disconnected"));
      this.dropLink = resolve;
    });
    try {
      const { characteristics } = await withTimeout(
        p.discoverAllServicesAndCharacteristicsAsync(),
        this.opts.opTimeoutMs,
        `discovery on ${this.mac}`,
      );
      this.characteristics = new Map(characteristics.map(c => [normalizeUuid(c.uuid), c]));
    } catch (err) {
      this.dropLink = undefined;
      await this.hangUp(p);
      throw err;
    }
    this.up = true;
    const uuids = [...this.characteristics.keys()];
    this.log.info({ mac: this.mac, characteristics: uuids }, "connected");
    this.emit("connected");
    const stopped = new Promise<string>(resolve => {
      if (signal.aborted) resolve("stopped");
      signal.addEventListener("abort", () => resolve("stopped"), { once: true });
    });
    const reason = await Promise.race([dropped, stopped]);
    this.up = false;
    this.dropLink = undefined;
    this.characteristics = new Map();
    await this.hangUp(p);
    this.log.warn({ mac: this.mac, reason }, "disconnected");
    this.emit("disconnected", reason);
    return true;
  }

  private async connect(p: NoblePeripheral): Promise<void> {
    try {
      await withTimeout(p.connectAsync(), this.opts.connectTimeoutMs, `connect to ${this.mac}`);
    } catch (err) {
      try {
        p.cancelConnect?.();
      } catch {
        // Some bindings (noble's websocket relay) cannot cancel; the next attempt starts clean.
      }
      throw err;
    }
  }

  private async hangUp(p: NoblePeripheral): Promise<void> {
    if (p.state !== "connected" && p.state !== "connecting") return;
    await withTimeout(p.disconnectAsync(), this.opts.opTimeoutMs, "disconnect").catch(() => {});
  }
}
