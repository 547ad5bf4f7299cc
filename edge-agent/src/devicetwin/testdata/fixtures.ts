/** Device profiles for DeviceTwin's tests and benchmarks. */
import type { DeviceProfile } from "@kubeedge-ts/contract";

/** One thermometer `default/thermo`, wire id `thermo` (model thermo-model: temperature int, power boolean). */
export function sampleProfile(desired = "30"): DeviceProfile {
  return {
    deviceInstances: [
      {
        id: "thermo",
        name: "thermo",
        namespace: "default",
        protocol: "modbus-default-thermo",
        model: "thermo-model",
        twins: [
          { propertyName: "temperature", desired: { value: desired, metadata: { type: "int" } } },
        ],
        propertyVisitors: [
          {
            name: "temperature",
            propertyName: "temperature",
            modelName: "thermo-model",
            protocol: "modbus",
            reportCycle: 500_000_000,
            visitorConfig: {},
          },
          {
            name: "power",
            propertyName: "power",
            modelName: "thermo-model",
            protocol: "modbus",
            reportCycle: 2_000_000_000,
            visitorConfig: {},
          },
        ],
      },
    ],
    deviceModels: [
      {
        name: "thermo-model",
        description: "a thermometer",
        properties: [
          { name: "temperature", dataType: "int" },
          { name: "power", dataType: "boolean" },
        ],
      },
    ],
    protocols: [{ name: "modbus-default-thermo", protocol: "modbus" }],
    propertyVisitors: [],
  };
}

/** `count` devices `<namespace>/dev-<i>` (wire id `dev-<i>`) of one model (property `value`, int), for load tests. */
export function manyDevicesProfile(
  count: number,
  namespace = "default",
  reportCycleNs = 100_000_000,
): DeviceProfile {
  const base = sampleProfile();
  return {
    deviceInstances: Array.from({ length: count }, (_, i) => ({
      id: `dev-${i}`,
      name: `dev-${i}`,
      namespace,
      protocol: "modbus-default-thermo",
      model: "thermo-model",
      twins: [],
      propertyVisitors: [
        {
          name: "temperature",
          propertyName: "temperature",
          modelName: "thermo-model",
          protocol: "modbus",
          reportCycle: reportCycleNs,
          visitorConfig: {},
        },
      ],
    })),
    deviceModels: base.deviceModels,
    protocols: base.protocols,
    propertyVisitors: [],
  };
}

/** A profile ConfigMap of node `nodeName` as the meta manager hands it over. */
export function profileConfigMap(
  nodeName: string,
  profile: DeviceProfile,
  resourceVersion: string,
  namespace = "default",
) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `device-profile-config-${nodeName}`, namespace, resourceVersion },
    data: { "deviceProfile.json": JSON.stringify(profile) },
  };
}
