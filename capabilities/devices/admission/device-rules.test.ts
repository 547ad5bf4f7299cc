// Fixtures are edited loosely per case, as the apiserver would hand them over.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe, expect, it } from "vitest";
import type { Device, DeviceModel } from "../../../crds/index.js";
import { deviceProblems } from "./device-rules.js";
import { formatProblem } from "../../shared/problems.js";

const MODEL: DeviceModel = {
  metadata: { name: "thermo", namespace: "ns" },
  spec: {
    properties: [
      {
        name: "temperature",
        type: { int: { accessMode: "ReadOnly", minimum: -40, maximum: 125 } },
      },
      {
        name: "setpoint",
        type: { double: { accessMode: "ReadWrite", minimum: 0, maximum: 50.5 } },
      },
      { name: "enable", type: { boolean: { accessMode: "ReadWrite" } } },
      { name: "label", type: { string: { accessMode: "ReadWrite" } } },
    ],
  },
} as DeviceModel;

const selector = (req: object, fields = false): object => ({
  nodeSelectorTerms: [fields ? { matchFields: [req] } : { matchExpressions: [req] }],
});

function device(change: (d: any) => void = () => undefined): Device {
  const d: any = {
    metadata: { name: "t1", namespace: "ns" },
    spec: {
      deviceModelRef: { name: "thermo" },
      protocol: { modbus: { slaveID: 1 }, common: { tcp: { ip: "10.0.0.1", port: 502 } } },
      nodeSelector: selector({ key: "", operator: "In", values: ["edge-1"] }),
      propertyVisitors: [
        {
          propertyName: "temperature",
          modbus: { register: "HoldingRegister", offset: 0, limit: 1 },
        },
        { propertyName: "enable", modbus: { register: "CoilRegister", offset: 3, limit: 1 } },
      ],
    },
    status: { twins: [{ propertyName: "setpoint", desired: { value: "21.5" } }] },
  };
  change(d);
  return d as Device;
}

const ble = (uuid: string) => (d: any) => {
  d.spec.protocol = { bluetooth: { macAddress: "BC:6A:29:AE:CC:96" } };
  d.spec.propertyVisitors = [
    { propertyName: "temperature", bluetooth: { characteristicUUID: uuid } },
  ];
};

const cases: {
  name: string;
  change?: (d: any) => void;
  model?: DeviceModel | null;
  want: string[];
}[] = [
  { name: "accepts a legal Modbus device", want: [] },
  {
    name: "accepts matchFields metadata.name and kubernetes.io/hostname bindings",
    change: d =>
      (d.spec.nodeSelector = selector(
        { key: "metadata.name", operator: "In", values: ["n"] },
        true,
      )),
    want: [],
  },
  {
    name: "refuses a device whose model does not exist",
    model: null,
    want: ['spec.deviceModelRef.name: "thermo" names no DeviceModel in namespace ns'],
  },
  {
    name: "refuses a visitor for a property the model lacks",
    change: d => (d.spec.propertyVisitors[0].propertyName = "humidity"),
    want: [
      'spec.propertyVisitors[0].propertyName: "humidity" is not a property of DeviceModel thermo',
    ],
  },
  {
    name: "refuses two visitors for one property",
    change: d => (d.spec.propertyVisitors[1].propertyName = "temperature"),
    want: ['spec.propertyVisitors[1].propertyName: "temperature" has more than one visitor'],
  },
  {
    name: "refuses a visitor speaking another protocol",
    change: d =>
      (d.spec.propertyVisitors[0] = {
        propertyName: "temperature",
        bluetooth: { characteristicUUID: "2a19" },
      }),
    want: ["spec.propertyVisitors[0].bluetooth: does not match the device protocol modbus"],
  },
  {
    name: "refuses a Modbus offset beyond the address space",
    change: d => (d.spec.propertyVisitors[0].modbus.offset = 70000),
    want: ["spec.propertyVisitors[0].modbus.offset: 70000 must be an address from 0 to 65535"],
  },
  {
    name: "refuses a negative Modbus offset",
    change: d => (d.spec.propertyVisitors[0].modbus.offset = -1),
    want: ["spec.propertyVisitors[0].modbus.offset: -1 must be an address from 0 to 65535"],
  },
  {
    name: "refuses more than 125 holding registers",
    change: d => (d.spec.propertyVisitors[0].modbus.limit = 126),
    want: ["spec.propertyVisitors[0].modbus.limit: 126 must be from 1 to 125 for HoldingRegister"],
  },
  {
    name: "refuses a zero limit",
    change: d => (d.spec.propertyVisitors[1].modbus.limit = 0),
    want: ["spec.propertyVisitors[1].modbus.limit: 0 must be from 1 to 2000 for CoilRegister"],
  },
  {
    name: "refuses registers that run past the last address",
    change: d => Object.assign(d.spec.propertyVisitors[0].modbus, { offset: 65535, limit: 2 }),
    want: [
      "spec.propertyVisitors[0].modbus.limit: 2 runs past the last address 65535 from offset 65535",
    ],
  },
  {
    name: "refuses a zero scale",
    change: d => (d.spec.propertyVisitors[0].modbus.scale = 0),
    want: ["spec.propertyVisitors[0].modbus.scale: 0 must be a non-zero number"],
  },
  {
    name: "refuses a slave id above 255",
    change: d => (d.spec.protocol.modbus.slaveID = 300),
    want: ["spec.protocol.modbus.slaveID: 300 must be a unit id from 0 to 255"],
  },
  {
    name: "refuses two protocols",
    change: d => (d.spec.protocol.bluetooth = { macAddress: "BC:6A:29:AE:CC:96" }),
    want: [
      "spec.protocol: must set exactly one of modbus, bluetooth, opcua, customizedProtocol, sets modbus and bluetooth",
    ],
  },
  {
    name: "accepts a 128-bit UUID without dashes",
    change: ble("f000aa0104514000b000000000000000"),
    want: [],
  },
  { name: "accepts a dashed UUID", change: ble("F000AA01-0451-4000-B000-000000000000"), want: [] },
  {
    name: "refuses a malformed Bluetooth UUID",
    change: ble("f000aa01-xyz"),
    want: [
      'spec.propertyVisitors[0].bluetooth.characteristicUUID: "f000aa01-xyz" is not a Bluetooth UUID (4, 8 or 32 hex digits, or dashed 128-bit)',
    ],
  },
  {
    name: "refuses a desired value that is not the model type",
    change: d => (d.status.twins[0].desired.value = "warm"),
    want: ['status.twins[0].desired.value: "warm" is not a double (property setpoint is double)'],
  },
  {
    name: "refuses a desired value above the model maximum",
    change: d => (d.status.twins[0].desired.value = "51"),
    want: [
      'status.twins[0].desired.value: "51" is above maximum 50.5 (property setpoint is double)',
    ],
  },
  {
    name: "refuses a desired value below the model minimum",
    change: d => (d.status.twins[0].desired.value = "-0.5"),
    want: [
      'status.twins[0].desired.value: "-0.5" is below minimum 0 (property setpoint is double)',
    ],
  },
  {
    name: "refuses a desired value on a ReadOnly property",
    change: d => d.status.twins.push({ propertyName: "temperature", desired: { value: "20" } }),
    want: [
      'status.twins[1].desired.value: "20" sets a desired value on ReadOnly property temperature',
    ],
  },
  {
    name: "accepts an empty desired value on a ReadOnly property: a declaration (KubeEdge samples)",
    change: d =>
      d.status.twins.push({
        propertyName: "temperature",
        desired: { value: "", metadata: { type: "int" } },
      }),
    want: [],
  },
  {
    name: "accepts an empty desired value on a ReadWrite number: a declaration, not a command",
    change: d => (d.status.twins[0].desired.value = ""),
    want: [],
  },
  {
    name: "refuses a boolean that does not parse",
    change: d => d.status.twins.push({ propertyName: "enable", desired: { value: "yes" } }),
    want: ['status.twins[1].desired.value: "yes" is not a boolean (property enable is boolean)'],
  },
  {
    name: "accepts Go-style booleans and any string",
    change: d =>
      d.status.twins.push(
        { propertyName: "enable", desired: { value: "True" } },
        { propertyName: "label", desired: { value: "" } },
      ),
    want: [],
  },
  {
    name: "refuses a twin for a property the model lacks",
    change: d => (d.status.twins[0].propertyName = "humidity"),
    want: ['status.twins[0].propertyName: "humidity" is not a property of DeviceModel thermo'],
  },
  {
    name: "accepts reported values on ReadOnly properties",
    change: d => d.status.twins.push({ propertyName: "temperature", reported: { value: "999" } }),
    want: [],
  },
  {
    name: "refuses a device without a node selector",
    change: d => delete d.spec.nodeSelector,
    want: ["spec.nodeSelector: is required: it names the edge node of the device"],
  },
  {
    name: "refuses a selector naming two nodes",
    change: d => (d.spec.nodeSelector = selector({ key: "", operator: "In", values: ["a", "b"] })),
    want: [
      'spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].values: ["a","b"] must hold exactly one node name',
    ],
  },
  {
    name: "refuses a selector on an ordinary label",
    change: d => (d.spec.nodeSelector = selector({ key: "zone", operator: "In", values: ["a"] })),
    want: [
      'spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].key: "zone" must be "" or "kubernetes.io/hostname" to name a node',
    ],
  },
  {
    name: "refuses a NotIn selector",
    change: d => (d.spec.nodeSelector = selector({ key: "", operator: "NotIn", values: ["a"] })),
    want: [
      'spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].operator: "NotIn" must be In to name a node',
    ],
  },
  {
    name: "refuses two selector terms",
    change: d => d.spec.nodeSelector.nodeSelectorTerms.push({ matchExpressions: [] }),
    want: ["spec.nodeSelector.nodeSelectorTerms: 2 must hold exactly one term"],
  },
  {
    name: "refuses an invalid node name",
    change: d => (d.spec.nodeSelector = selector({ key: "", operator: "In", values: ["Edge_1"] })),
    want: [
      'spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].values[0]: "Edge_1" is not a valid node name',
    ],
  },
  {
    name: "refuses data properties the model lacks",
    change: d => (d.spec.data = { dataProperties: [{ propertyName: "nope" }] }),
    want: [
      'spec.data.dataProperties[0].propertyName: "nope" is not a property of DeviceModel thermo',
    ],
  },
];

describe("deviceProblems", () => {
  it.each(cases)("$name", ({ change, model, want }) => {
    const got = deviceProblems(device(change), model === null ? undefined : (model ?? MODEL));
    expect(got.map(formatProblem)).toEqual(want);
  });
});
