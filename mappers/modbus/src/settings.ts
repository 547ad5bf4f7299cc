/** Settings of the Modbus mapper: the common mapper settings plus Modbus timing. */
import {
  commonSettingSpecs,
  type CommonMapperSettings,
  type SettingSpec,
} from "@kubeedge-ts/mapper-common";

export interface ModbusMapperSettings extends CommonMapperSettings {
  timeoutMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export const MODBUS_HTTP_PORT = 9101;

export const modbusSettingSpecs: SettingSpec[] = [
  ...commonSettingSpecs({ httpPort: MODBUS_HTTP_PORT }),
  {
    key: "timeoutMs",
    env: "MAPPER_MODBUS_TIMEOUT_MS",
    kind: "number",
    default: 1000,
    description: "per-request (and connect) timeout, ms",
  },
  {
    key: "backoffMinMs",
    env: "MAPPER_MODBUS_BACKOFF_MIN_MS",
    kind: "number",
    default: 500,
    description: "first reconnect delay after a failed connect, ms",
  },
  {
    key: "backoffMaxMs",
    env: "MAPPER_MODBUS_BACKOFF_MAX_MS",
    kind: "number",
    default: 10000,
    description: "longest reconnect delay (doubling from the first), ms",
  },
];
