/**
 * The Bluetooth mapper process: the Bluetooth driver on the mapper library's runtime (profile
 * file, twin client, runtime configuration topics, /healthz, /readyz and /metrics).
 */
import type { BluetoothVisitorConfig } from "@kubeedge-ts/contract";
import { runMapper, type RunMapperOptions, type RunningMapper } from "@kubeedge-ts/mapper-common";
import type { DeviceController } from "./controller/device-controller.js";
import { createBluetoothDriver, type BluetoothDriverOptions } from "./driver.js";

export type BluetoothMapperOptions = Omit<
  RunMapperOptions<BluetoothVisitorConfig, DeviceController>,
  "driver"
> &
  BluetoothDriverOptions;

export type BluetoothMapper = RunningMapper<BluetoothVisitorConfig, DeviceController>;

export function runBluetoothMapper(opts: BluetoothMapperOptions): Promise<BluetoothMapper> {
  return runMapper({ ...opts, driver: createBluetoothDriver(opts) });
}
