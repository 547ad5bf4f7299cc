/**
 * One scanner shared by every device of the mapper: one radio can run one scan. Devices ask for
 * their MAC address; the radio scans while anyone is waiting and stops once nobody is, because
 * many adapters cannot connect while they scan.
 */
import type { Logger } from "@kubeedge-ts/mapper-common";
import type { Noble, NoblePeripheral } from "./noble-types.js";
import { normalizeMac } from "./uuid.js";

interface Waiter {
  resolve: (p: NoblePeripheral) => void;
  reject: (err: Error) => void;
}

export class Scanner {
  private readonly waiters = new Map<string, Waiter>();
  private scanning = false;
  private readonly downHandlers: ((state: string) => void)[] = [];

  constructor(
    private readonly noble: Noble,
    private readonly log: Logger,
  ) {
    noble.on("discover", (p: NoblePeripheral) => this.onDiscover(p));
    noble.on("stateChange", (state: string) => {
      if (state !== "poweredOn") {
        this.scanning = false;
        this.log.warn({ state }, "Bluetooth adapter is not powered on");
        this.downHandlers.forEach(h => h(state));
      }
      this.sync();
    });
    noble.on("scanStop", () => (this.scanning = false));
  }

  /** Called when the adapter leaves poweredOn: every link on it is gone. */
  onAdapterDown(handler: (state: string) => void): () => void {
    this.downHandlers.push(handler);
    return () => {
      const i = this.downHandlers.indexOf(handler);
      if (i >= 0) this.downHandlers.splice(i, 1);
    };
  }

  /** Resolves with the peripheral once it advertises; rejects when `signal` aborts. */
  find(mac: string, signal: AbortSignal): Promise<NoblePeripheral> {
    const key = normalizeMac(mac);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(key);
        this.sync();
        reject(new Error(`scan for ${mac} aborted`));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.set(key, {
        resolve: p => {
          signal.removeEventListener("abort", onAbort);
          resolve(p);
        },
        reject,
      });
      this.sync();
    });
  }

  private onDiscover(p: NoblePeripheral): void {
    // macOS hides addresses, where noble's id is the only handle; elsewhere it is the MAC.
    const key = this.waiters.has(normalizeMac(p.address ?? ""))
      ? normalizeMac(p.address)
      : normalizeMac(p.id);
    const waiter = this.waiters.get(key);
    if (!waiter) return;
    this.waiters.delete(key);
    this.log.info({ address: p.address, name: p.advertisement?.localName }, "peripheral found");
    this.sync();
    waiter.resolve(p);
  }

  private sync(): void {
    const want = this.waiters.size > 0;
    if (want === this.scanning || this.noble.state !== "poweredOn") return;
    this.scanning = want;
    const op = want ? this.noble.startScanningAsync([], true) : this.noble.stopScanningAsync();
    op.catch((err: unknown) => {
      this.scanning = !want;
      this.log.warn({ err }, want ? "cannot start scanning" : "cannot stop scanning");
    });
  }
}
