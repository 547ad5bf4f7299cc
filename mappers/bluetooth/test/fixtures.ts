/** A SensorTag device profile the way the cloud writes it into device-profile-config-<node>. */
import type { DeviceProfile } from "@kubeedge-ts/contract";
import { SENSORTAG } from "./sim-peripheral.js";

export const DEVICE_ID = "default/sensortag";
export const MAC = "A0:E6:F8:B6:37:83";

export function sensorTagProfile(mac = MAC, desiredEnable = "ON"): DeviceProfile {
  return {
    deviceInstances: [
      {
        id: DEVICE_ID,
        name: "sensortag",
        namespace: "default",
        protocol: "bluetooth-default-sensortag",
        model: "cc2650-sensortag",
        twins: [{ propertyName: "temperature-enable", desired: { value: desiredEnable } }],
        propertyVisitors: [
          {
            name: "temperature",
            propertyName: "temperature",
            modelName: "cc2650-sensortag",
            protocol: "bluetooth",
            visitorConfig: {
              characteristicUUID: "F000AA01-0451-4000-B000-000000000000",
              dataConverter: {
                startIndex: 1,
                endIndex: 0,
                shiftRight: 2,
                orderOfOperations: [{ operationType: "Multiply", operationValue: 0.03125 }],
              },
            },
          },
          {
            name: "temperature-enable",
            propertyName: "temperature-enable",
            modelName: "cc2650-sensortag",
            protocol: "bluetooth",
            visitorConfig: {
              characteristicUUID: SENSORTAG.config,
              dataWrite: { ON: "AQ==", OFF: "AA==" },
            },
          },
        ],
      },
    ],
    deviceModels: [
      {
        name: "cc2650-sensortag",
        properties: [
          {
            name: "temperature",
            dataType: "float",
            accessMode: "ReadOnly",
            unit: "degree celsius",
          },
          {
            name: "temperature-enable",
            dataType: "string",
            accessMode: "ReadWrite",
            defaultValue: "ON",
          },
        ],
      },
    ],
    protocols: [
      {
        name: "bluetooth-default-sensortag",
        protocol: "bluetooth",
        protocolConfig: { macAddress: mac },
      },
    ],
    propertyVisitors: [],
  };
}

/** The manual's config file, for the SensorTag. */
export const SENSORTAG_CONFIG = `
action-manager:
  actions:
  - name: IRTemperatureConfiguration
    perform-immediately: true
    device-property-name: temperature-enable
  - name: IRTemperatureData
    perform-immediately: false
    device-property-name: temperature
scheduler:
  schedules:
  - name: temperature
    interval: 100
    occurrence-limit: 3
    actions:
    - IRTemperatureData
watcher:
  device-twin-attributes:
  - device-property-name: temperature-enable
    actions:
    - IRTemperatureConfiguration
`;
