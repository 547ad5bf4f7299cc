/**
 * The thermometer every test, benchmark and the demo talk about: a Modbus thermometer as a
 * KubeEdge v1alpha2 DeviceModel and Device, the way a user would apply them. `temperature` is
 * always there (read-only, a holding register); the other properties are opt-in, each with one
 * fixed declaration and one fixed register, so two tests that include `enable` mean the same
 * thing by it.
 */
import { DEVICE_KIND, DEVICE_MODEL_KIND, DEVICES_API_VERSION } from "@kubeedge-ts/contract";

export const THERMOMETER_MODEL = "thermometer";

/** Properties a thermometer may have besides `temperature`. */
export type ThermometerProperty = "enable" | "temperature-limit" | "power";

interface PropertyFixture {
  type: "int" | "string" | "boolean";
  declaration: Record<string, unknown>;
  visitor: { register: string; offset: number };
}

const TEMPERATURE: PropertyFixture = {
  type: "int",
  declaration: { accessMode: "ReadOnly", minimum: -40, maximum: 100, unit: "celsius" },
  visitor: { register: "HoldingRegister", offset: 0 },
};

const OPTIONAL: Record<ThermometerProperty, PropertyFixture> = {
  /** A switch the cloud turns on and off. */
  enable: {
    type: "string",
    declaration: { accessMode: "ReadWrite", defaultValue: "OFF" },
    visitor: { register: "CoilRegister", offset: 1 },
  },
  /** An alarm threshold the cloud sets. */
  "temperature-limit": {
    type: "int",
    declaration: { accessMode: "ReadWrite", defaultValue: 30, minimum: 0, maximum: 100 },
    visitor: { register: "HoldingRegister", offset: 1 },
  },
  /** Whether the device is powered: only the device reports it. */
  power: {
    type: "boolean",
    declaration: { accessMode: "ReadOnly" },
    visitor: { register: "DiscreteInputRegister", offset: 0 },
  },
};

/** Holding register of `temperature` and of `temperature-limit` (a simulator sets and reads them). */
export const TEMPERATURE_REGISTER = TEMPERATURE.visitor.offset;
export const TEMPERATURE_LIMIT_REGISTER = OPTIONAL["temperature-limit"].visitor.offset;

export interface ThermometerModelOptions {
  namespace: string;
  /** Default `thermometer`. */
  name?: string;
  /** Optional properties, declared after `temperature` in this order. */
  properties?: ThermometerProperty[];
  /** Further property declarations a test adds, appended as written. */
  extra?: object[];
}

export function thermometerModel(o: ThermometerModelOptions): object {
  const declare = (name: string, p: PropertyFixture): object => ({
    name,
    type: { [p.type]: { ...p.declaration } },
  });
  return {
    apiVersion: DEVICES_API_VERSION,
    kind: DEVICE_MODEL_KIND,
    metadata: { name: o.name ?? THERMOMETER_MODEL, namespace: o.namespace },
    spec: {
      properties: [
        declare("temperature", TEMPERATURE),
        ...(o.properties ?? []).map(name => declare(name, OPTIONAL[name])),
        ...(o.extra ?? []),
      ],
    },
  };
}

/** Where the Device's Modbus slave answers: TCP, or RTU on a serial line. */
export type ModbusEndpoint =
  | { host: string; port: number }
  | { serialPort: string; baudRate?: number };

export interface ThermometerDeviceOptions {
  name: string;
  namespace: string;
  /** The edge node the Device is bound to. */
  node: string;
  endpoint: ModbusEndpoint;
  /** The DeviceModel's name; default `thermometer`. */
  model?: string;
  slaveId?: number;
  /** Optional properties the Device visits, after `temperature`, in this order. */
  properties?: ThermometerProperty[];
  /** Desired values the cloud sets, as twins in the Device's status. */
  desired?: Partial<Record<ThermometerProperty, string>>;
  /** Holding register of `temperature`; default TEMPERATURE_REGISTER. */
  temperatureOffset?: number;
  /** Collect and report cycles of every visitor; unset leaves the mapper's defaults. */
  collectMs?: number;
  reportMs?: number;
}

const NS_PER_MS = 1_000_000;

function commonConfig(e: ModbusEndpoint): object {
  return "host" in e
    ? { tcp: { ip: e.host, port: e.port } }
    : {
        com: {
          serialPort: e.serialPort,
          baudRate: e.baudRate ?? 9600,
          dataBits: 8,
          parity: "none",
          stopBits: 1,
        },
      };
}

export function thermometerDevice(o: ThermometerDeviceOptions): object {
  const visitor = (propertyName: string, register: string, offset: number): object => ({
    propertyName,
    ...(o.reportMs === undefined ? {} : { reportCycle: o.reportMs * NS_PER_MS }),
    ...(o.collectMs === undefined ? {} : { collectCycle: o.collectMs * NS_PER_MS }),
    modbus: { register, offset, limit: 1, scale: 1 },
  });
  const desired = Object.entries(o.desired ?? {}) as [ThermometerProperty, string][];
  return {
    apiVersion: DEVICES_API_VERSION,
    kind: DEVICE_KIND,
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      deviceModelRef: { name: o.model ?? THERMOMETER_MODEL },
      protocol: { modbus: { slaveID: o.slaveId ?? 1 }, common: commonConfig(o.endpoint) },
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [o.node] }] }],
      },
      propertyVisitors: [
        visitor("temperature", TEMPERATURE.visitor.register, o.temperatureOffset ?? 0),
        ...(o.properties ?? []).map(name =>
          visitor(name, OPTIONAL[name].visitor.register, OPTIONAL[name].visitor.offset),
        ),
      ],
    },
    ...(desired.length === 0
      ? {}
      : {
          status: {
            twins: desired.map(([propertyName, value]) => ({
              propertyName,
              desired: { value, metadata: { type: OPTIONAL[propertyName].type } },
            })),
          },
        }),
  };
}
