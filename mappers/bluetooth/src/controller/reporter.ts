/**
 * What a device holds, as far as the mapper knows, and its reports on the twin topic. Written
 * values go out at once (the watcher waits for them); values read or notified are coalesced to
 * one per visitor `reportCycle` when the profile sets one.
 */
import type { BluetoothVisitorConfig } from "@kubeedge-ts/contract";
import type { ResolvedProperty, TwinPort } from "@kubeedge-ts/mapper-common";
import { sameName } from "../config/references.js";
import type { BluetoothDevice } from "../profile/bluetooth-spec.js";
import { ReportThrottle } from "./report-throttle.js";

export class Reporter {
  /** Last value read from or written to the device, by property. */
  readonly actual = new Map<string, string>();
  private readonly throttle: ReportThrottle;

  constructor(
    private readonly device: BluetoothDevice,
    private readonly twin: Pick<TwinPort, "publishActual">,
  ) {
    this.throttle = new ReportThrottle((p, v) => void this.publish(p, v));
  }

  property(name: string): ResolvedProperty<BluetoothVisitorConfig> | undefined {
    return this.device.properties.find(p => sameName(p.name, name));
  }

  /** Reports now; resolves once handed to the broker. */
  async written(property: string, value: string): Promise<void> {
    this.actual.set(property, value);
    await this.publish(property, value);
  }

  read(property: string, value: string): void {
    this.actual.set(property, value);
    const p = this.property(property);
    const cycle = p?.visitor.reportCycle ? p.reportCycleMs : 0;
    this.throttle.offer(property, value, cycle);
  }

  stop(): void {
    this.throttle.stop();
  }

  private async publish(property: string, value: string): Promise<void> {
    const type = this.property(property)?.property.dataType ?? "string";
    await this.twin.publishActual(this.device.id, {
      [property]: { value, type, timestamp: Date.now() },
    });
  }
}
