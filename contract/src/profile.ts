/**
 * The `deviceProfile.json` document in `device-profile-config-<node>` ConfigMaps, in the format
 * KubeEdge's v1alpha2 device controller writes and its mappers read. The cloud builds it, the
 * edge agent caches it and the mappers consume it.
 */

import type { TwinDataType } from "./twin-value.js";

/** A property's data type: one of the twin value rules' types (see twin-value.ts). */
export type PropertyDataType = TwinDataType;
export type AccessMode = "ReadWrite" | "ReadOnly";

export interface ProfileMetadata {
  timestamp?: string;
  type?: string;
}

export interface ProfileTwin {
  propertyName: string;
  desired?: { value?: string; metadata?: ProfileMetadata };
  reported?: { value?: string; metadata?: ProfileMetadata };
}

export interface ProfileDataProperty {
  propertyName: string;
  metadata?: Record<string, string>;
}

export interface ProfileData {
  dataTopic?: string;
  dataProperties?: ProfileDataProperty[];
}

export interface ProfileProperty {
  name: string;
  dataType: PropertyDataType;
  description?: string;
  accessMode?: AccessMode;
  defaultValue?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  unit?: string;
}

export interface ProfileDeviceModel {
  name: string;
  description?: string;
  properties: ProfileProperty[];
}

/** Protocol kinds as they appear in `Protocol.protocol` and `PropertyVisitor.protocol`. */
export type ProtocolKind = "modbus" | "bluetooth" | "opcua" | "customized-protocol";

export interface ModbusProtocolConfig {
  slaveID?: number;
}
export interface BluetoothProtocolConfig {
  macAddress: string;
}

export interface ProtocolCommonConfig {
  com?: {
    serialPort: string;
    baudRate?: number;
    dataBits?: number;
    parity?: string;
    stopBits?: number;
  };
  tcp?: { ip: string; port: number };
  commType?: string;
  reconnTimeout?: number;
  reconnRetryTimes?: number;
  collectTimeout?: number;
  collectRetryTimes?: number;
  collectType?: string;
  customizedValues?: Record<string, unknown>;
}

export interface ProfileProtocol {
  /** Unique per device: `<protocol>-<namespace>-<device>` (KubeEdge: `<protocol>-<device>`). */
  name: string;
  protocol: ProtocolKind | string;
  protocolConfig?: Record<string, unknown>;
  protocolCommonConfig?: ProtocolCommonConfig;
}

export type ModbusRegister =
  | "CoilRegister"
  | "DiscreteInputRegister"
  | "InputRegister"
  | "HoldingRegister";

export interface ModbusVisitorConfig {
  register: ModbusRegister;
  offset: number;
  limit: number;
  scale?: number;
  isSwap?: boolean;
  isRegisterSwap?: boolean;
}

export type ArithmeticOperation = "Add" | "Subtract" | "Multiply" | "Divide";

export interface BluetoothDataConverter {
  startIndex: number;
  endIndex: number;
  shiftLeft?: number;
  shiftRight?: number;
  orderOfOperations?: { operationType: ArithmeticOperation; operationValue: number }[];
}

export interface BluetoothVisitorConfig {
  characteristicUUID: string;
  /** Desired value → bytes to write, base64 in the CRD and the profile. */
  dataWrite?: Record<string, string>;
  dataConverter?: BluetoothDataConverter;
}

export interface ProfilePropertyVisitor {
  name: string;
  propertyName: string;
  modelName: string;
  protocol: ProtocolKind | string;
  reportCycle?: number;
  collectCycle?: number;
  customizedValues?: Record<string, unknown>;
  visitorConfig: ModbusVisitorConfig | BluetoothVisitorConfig | Record<string, unknown>;
}

export interface ProfileDeviceInstance {
  /** The wire id (topics, membership): the bare Device name, as KubeEdge v1alpha2 has it. */
  id: string;
  name: string;
  namespace?: string;
  /** Name of an entry in `protocols[]`. */
  protocol: string;
  /** Name of an entry in `deviceModels[]`. */
  model: string;
  twins?: ProfileTwin[];
  data?: ProfileData;
  propertyVisitors?: ProfilePropertyVisitor[];
}

export interface DeviceProfile {
  deviceInstances: ProfileDeviceInstance[];
  deviceModels: ProfileDeviceModel[];
  protocols: ProfileProtocol[];
  propertyVisitors: ProfilePropertyVisitor[];
}

export function emptyProfile(): DeviceProfile {
  return { deviceInstances: [], deviceModels: [], protocols: [], propertyVisitors: [] };
}
