/**
 * Bluetooth LE as a driver of the mapper library's runtime. A device is not polled property by
 * property: each one gets a DeviceController (its link, action manager, scheduler and watcher),
 * and the runtime configuration topics (`$ke/device/bluetooth-mapper/...`) are the driver's
 * own topics on the mapper's MQTT connection.
 */
import {
  BluetoothMapperTopicSuffix,
  bluetoothMapperTopic,
  type BluetoothVisitorConfig,
} from "@kubeedge-ts/contract";
import type { DeviceContext, Logger, ProtocolDriver } from "@kubeedge-ts/mapper-common";
import { configForDevice } from "./actions/config-ops.js";
import { BleLink, DEFAULT_LINK_OPTIONS, type LinkOptions } from "./ble/link.js";
import type { Noble } from "./ble/noble-types.js";
import { Scanner } from "./ble/scanner.js";
import { defaultConfig } from "./config/default-config.js";
import type { MapperConfig } from "./config/types.js";
import { runtimeConfigTopics } from "./controller/config-channel.js";
import { DeviceController, type ControllerPorts } from "./controller/device-controller.js";
import { bluetoothSpec, macOf, type BluetoothDevice } from "./profile/bluetooth-spec.js";

export interface BluetoothDriverOptions {
  noble: Noble;
  log: Logger;
  /** From `--config`; without it every device gets `defaultConfig`. */
  config?: MapperConfig;
  link?: Partial<LinkOptions>;
}

export type BluetoothDriver = ProtocolDriver<BluetoothVisitorConfig, DeviceController>;

export function createBluetoothDriver(opts: BluetoothDriverOptions): BluetoothDriver {
  const scanner = new Scanner(opts.noble, opts.log.child({ component: "scanner" }));
  const model = opts.config?.deviceModelName?.toLowerCase();
  return {
    ...bluetoothSpec,
    // A config file written for one device model leaves the other models to other mappers.
    accepts: device => !model || device.model.name.toLowerCase() === model,
    createSession: (device, ctx) => {
      const link = new BleLink(macOf(device), scanner, ctx.log.child({ component: "link" }), {
        ...DEFAULT_LINK_OPTIONS,
        ...opts.link,
      });
      const config = configFor(device, opts.config, ctx.log);
      return new DeviceController(device, config, link, controllerPorts(ctx), ctx.log);
    },
    topics: runtimeConfigTopics,
  };
}

function configFor(device: BluetoothDevice, file: MapperConfig | undefined, log: Logger) {
  if (!file) return defaultConfig(device);
  const surface = {
    id: device.id,
    properties: device.model.properties.map(p => p.name),
    visitedProperties: device.properties.map(p => p.name),
  };
  const fitted = configForDevice(file, surface);
  if (fitted.ok) return fitted.config;
  log.error(
    { errors: fitted.errors },
    "the config file does not fit this device; it gets no actions",
  );
  return { actions: [], schedules: [], watcher: { attributes: [] } };
}

function controllerPorts(ctx: DeviceContext): ControllerPorts {
  const m = ctx.metrics;
  return {
    twin: ctx.twin,
    publishScheduleResult: (id, result) => {
      const topic = bluetoothMapperTopic(id, BluetoothMapperTopicSuffix.SchedulerResult);
      ctx.topics?.publishMessage(topic, result).catch((err: Error) => {
        ctx.log.warn({ topic, err: err.message }, "publish failed");
      });
    },
    onAction: ({ kind, ok }) => {
      const counter = kind === "write" ? m?.writes : m?.reads;
      counter?.inc({ protocol: "bluetooth", result: ok ? "ok" : "failed" });
    },
    onState: (device, state) => {
      for (const s of ["online", "offline"])
        m?.deviceState.set({ device, state: s }, s === state ? 1 : 0);
    },
  };
}
