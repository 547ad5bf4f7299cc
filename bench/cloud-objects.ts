/** The Device/DeviceModel used by the cloud benchmarks: a typical Modbus TCP thermometer. */
export function benchModel(ns: string): object {
  return {
    apiVersion: "devices.kubeedge.io/v1alpha2",
    kind: "DeviceModel",
    metadata: { name: "bench-thermometer", namespace: ns },
    spec: {
      properties: [
        {
          name: "temperature",
          type: { int: { accessMode: "ReadOnly", minimum: -40, maximum: 125, unit: "celsius" } },
        },
        { name: "enable", type: { string: { accessMode: "ReadWrite", defaultValue: "OFF" } } },
      ],
    },
  };
}

export function benchDevice(ns: string, name: string, node: string): object {
  return {
    apiVersion: "devices.kubeedge.io/v1alpha2",
    kind: "Device",
    metadata: { name, namespace: ns },
    spec: {
      deviceModelRef: { name: "bench-thermometer" },
      protocol: { modbus: { slaveID: 1 }, common: { tcp: { ip: "10.0.0.10", port: 502 } } },
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }],
      },
      propertyVisitors: [
        {
          propertyName: "temperature",
          reportCycle: 1000000000,
          collectCycle: 500000000,
          modbus: { register: "HoldingRegister", offset: 0, limit: 1, scale: 1 },
        },
        {
          propertyName: "enable",
          modbus: { register: "CoilRegister", offset: 1, limit: 1, scale: 1 },
        },
      ],
    },
    status: {
      twins: [{ propertyName: "enable", desired: { value: "ON", metadata: { type: "string" } } }],
    },
  };
}
