/**
 * The demo's device: the testkit's Modbus TCP thermometer (KubeEdge v1alpha2, as a user would
 * apply it) whose `temperature` the device measures and whose `temperature-limit` the cloud sets.
 */
import {
  TEMPERATURE_LIMIT_REGISTER,
  TEMPERATURE_REGISTER,
  thermometerDevice,
  thermometerModel,
} from "@kubeedge-ts/testkit";

export const DEMO_NAMESPACE = "default";
export const DEMO_MODEL = "demo-thermometer";
export const DEMO_DEVICE = "thermometer-1";
/** Holding registers of the simulated device. */
export { TEMPERATURE_REGISTER };
export const LIMIT_REGISTER = TEMPERATURE_LIMIT_REGISTER;

export function demoModel(): object {
  return thermometerModel({
    name: DEMO_MODEL,
    namespace: DEMO_NAMESPACE,
    properties: ["temperature-limit"],
  });
}

export function demoDevice(node: string, modbusPort: number, limit = "30"): object {
  return thermometerDevice({
    name: DEMO_DEVICE,
    namespace: DEMO_NAMESPACE,
    node,
    model: DEMO_MODEL,
    endpoint: { host: "127.0.0.1", port: modbusPort },
    properties: ["temperature-limit"],
    desired: { "temperature-limit": limit },
    collectMs: 1000,
    reportMs: 1000,
  });
}
