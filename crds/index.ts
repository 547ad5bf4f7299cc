/**
 * The CRD kinds for the module. Importing this registers Device and DeviceModel with
 * kubernetes-fluent-client (RegisterKind in the generated files), so `K8s(Device)` and
 * `When(Device)` find their group/version/plural.
 */
export { Device } from "./generated/device-v1alpha2.js";
export { DeviceModel } from "./generated/devicemodel-v1alpha2.js";
export type {
  Protocol as DeviceProtocol,
  PropertyVisitor as DevicePropertyVisitor,
  PropertyVisitorModbus as ModbusVisitor,
  PropertyVisitorBluetooth as BluetoothVisitor,
  NodeSelector as DeviceNodeSelector,
  Twin as DeviceTwin,
  Status as DeviceStatus,
} from "./generated/device-v1alpha2.js";
export type {
  Property as DeviceModelProperty,
  Type as DeviceModelPropertyType,
} from "./generated/devicemodel-v1alpha2.js";
export { deviceV1alpha2Schema, deviceModelV1alpha2Schema } from "./generated/schemas.js";
