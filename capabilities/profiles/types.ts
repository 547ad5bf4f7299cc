/**
 * The parts of KubeEdge v1alpha2 Device and DeviceModel objects the profile builder reads.
 * Structural, so the generated CRD classes (crds/) and plain objects from the API both fit.
 */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
}

export interface NumericProperty {
  accessMode?: string;
  defaultValue?: number;
  minimum?: number;
  maximum?: number;
  unit?: string;
}

export interface PropertyType {
  int?: NumericProperty;
  double?: NumericProperty;
  float?: NumericProperty;
  string?: { accessMode?: string; defaultValue?: string };
  boolean?: { accessMode?: string; defaultValue?: boolean };
  bytes?: { accessMode?: string };
}

export interface DeviceModelLike {
  metadata?: ObjectMeta;
  spec?: {
    properties?: { name?: string; description?: string; type?: PropertyType }[];
  };
}

export interface NodeSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface DeviceProtocolSpec {
  modbus?: { slaveID?: number };
  bluetooth?: { macAddress?: string };
  opcua?: object;
  customizedProtocol?: { protocolName?: string; configData?: object };
  common?: object;
}

export interface DevicePropertyVisitorSpec {
  propertyName?: string;
  reportCycle?: number;
  collectCycle?: number;
  customizedValues?: object;
  modbus?: object;
  bluetooth?: object;
  opcua?: object;
  customizedProtocol?: { protocolName?: string; configData?: object };
}

export interface TwinValue {
  value?: string;
  metadata?: { timestamp?: string; type?: string };
}

export interface DeviceLike {
  metadata?: ObjectMeta;
  spec?: {
    deviceModelRef?: { name?: string };
    protocol?: DeviceProtocolSpec;
    propertyVisitors?: DevicePropertyVisitorSpec[];
    nodeSelector?: {
      nodeSelectorTerms?: {
        matchExpressions?: NodeSelectorRequirement[];
        matchFields?: NodeSelectorRequirement[];
      }[];
    };
    data?: { dataTopic?: string; dataProperties?: { propertyName?: string; metadata?: object }[] };
  };
  status?: {
    twins?: { propertyName?: string; desired?: TwinValue; reported?: TwinValue }[];
    state?: string;
    lastOnlineTime?: string;
  };
}
