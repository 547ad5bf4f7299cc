/**
 * The slice of noble's central API the mapper uses. noble ships loose typings for its default
 * entry only; these describe the objects `@abandonware/noble/with-bindings` hands back.
 */
import type { EventEmitter } from "node:events";

export interface NobleCharacteristic extends EventEmitter {
  uuid: string;
  properties: string[];
  readAsync(): Promise<Buffer>;
  writeAsync(data: Buffer, withoutResponse: boolean): Promise<void>;
  subscribeAsync(): Promise<void>;
  unsubscribeAsync(): Promise<void>;
}

export interface NoblePeripheral extends EventEmitter {
  id: string;
  address: string;
  state: "error" | "connecting" | "connected" | "disconnecting" | "disconnected";
  advertisement?: { localName?: string };
  connectAsync(): Promise<void>;
  disconnectAsync(): Promise<void>;
  cancelConnect?(): void;
  discoverAllServicesAndCharacteristicsAsync(): Promise<{ characteristics: NobleCharacteristic[] }>;
}

export interface Noble extends EventEmitter {
  /** Reading it initialises the bindings (noble's lazy init). */
  readonly state: string;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}
