/** The Device/DeviceModel used by the cloud benchmarks: the testkit's Modbus TCP thermometer. */
import { thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";

export const BENCH_MODEL = "bench-thermometer";

export function benchModel(ns: string): object {
  return thermometerModel({ name: BENCH_MODEL, namespace: ns, properties: ["enable"] });
}

export function benchDevice(ns: string, name: string, node: string): object {
  return thermometerDevice({
    name,
    namespace: ns,
    node,
    model: BENCH_MODEL,
    endpoint: { host: "10.0.0.10", port: 502 },
    properties: ["enable"],
    desired: { enable: "ON" },
    collectMs: 500,
    reportMs: 1000,
  });
}
