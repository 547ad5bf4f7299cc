/**
 * The demo's device: a Modbus TCP thermometer (KubeEdge v1alpha2 YAML, as a user would apply
 * it) whose `temperature` the device measures and whose `temperature-limit` the cloud sets.
 */
import { DEVICE_KIND, DEVICE_MODEL_KIND, DEVICES_API_VERSION } from "@kubeedge-ts/contract";

export const DEMO_NAMESPACE = "default";
export const DEMO_MODEL = "demo-thermometer";
export const DEMO_DEVICE = "thermometer-1";
/** Holding registers of the simulated device. */
export const TEMPERATURE_REGISTER = 0;
export const LIMIT_REGISTER = 1;

const SECOND_NS = 1_000_000_000;

export function demoModel(): object {
  return {
    apiVersion: DEVICES_API_VERSION,
    kind: DEVICE_MODEL_KIND,
    metadata: { name: DEMO_MODEL, namespace: DEMO_NAMESPACE },
    spec: {
      properties: [
        {
          name: "temperature",
          description: "measured temperature",
          type: { int: { accessMode: "ReadOnly", minimum: -40, maximum: 125, unit: "degC" } },
        },
        {
          name: "temperature-limit",
          description: "alarm threshold the cloud sets",
          type: {
            int: {
              accessMode: "ReadWrite",
              defaultValue: 30,
              minimum: 0,
              maximum: 100,
              unit: "degC",
            },
          },
        },
      ],
    },
  };
}

export function demoDevice(node: string, modbusPort: number, limit = "30"): object {
  const visitor = (propertyName: string, offset: number): object => ({
    propertyName,
    collectCycle: SECOND_NS,
    reportCycle: SECOND_NS,
    modbus: { register: "HoldingRegister", offset, limit: 1, scale: 1 },
  });
  return {
    apiVersion: DEVICES_API_VERSION,
    kind: DEVICE_KIND,
    metadata: { name: DEMO_DEVICE, namespace: DEMO_NAMESPACE },
    spec: {
      deviceModelRef: { name: DEMO_MODEL },
      protocol: { modbus: { slaveID: 1 }, common: { tcp: { ip: "127.0.0.1", port: modbusPort } } },
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }],
      },
      propertyVisitors: [
        visitor("temperature", TEMPERATURE_REGISTER),
        visitor("temperature-limit", LIMIT_REGISTER),
      ],
    },
    status: {
      twins: [
        { propertyName: "temperature-limit", desired: { value: limit, metadata: { type: "int" } } },
      ],
    },
  };
}
