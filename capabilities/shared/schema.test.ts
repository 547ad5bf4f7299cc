import { describe, expect, it } from "vitest";
import { formatProblem } from "./problems.js";
import { fieldPath, schemaProblems } from "./schema.js";

describe("schemaProblems (ajv over the CRD's openAPIV3Schema)", () => {
  it.each([
    {
      name: "an access mode outside the enum",
      kind: "DeviceModel" as const,
      obj: { spec: { properties: [{ name: "a", type: { int: { accessMode: "Sometimes" } } }] } },
      want: [
        'spec.properties[0].type.int.accessMode: "Sometimes" is not one of ReadOnly, ReadWrite',
      ],
    },
    {
      name: "a missing property type",
      kind: "DeviceModel" as const,
      obj: { spec: { properties: [{ name: "a" }] } },
      want: ["spec.properties[0].type: is required"],
    },
    {
      name: "a register outside the enum and a fractional offset",
      kind: "Device" as const,
      obj: { spec: { propertyVisitors: [{ modbus: { register: "Coil", offset: 1.5 } }] } },
      want: [
        'spec.propertyVisitors[0].modbus.register: "Coil" is not one of CoilRegister, DiscreteInputRegister, InputRegister, HoldingRegister',
        "spec.propertyVisitors[0].modbus.offset: 1.5 must be integer",
      ],
    },
    {
      name: "dataWrite bytes that are not base64",
      kind: "Device" as const,
      obj: { spec: { propertyVisitors: [{ bluetooth: { dataWrite: { ON: "not base64!" } } }] } },
      want: [
        'spec.propertyVisitors[0].bluetooth.dataWrite.ON: "not base64!" must match format "byte"',
      ],
    },
    {
      name: "an unknown device state",
      kind: "Device" as const,
      obj: { status: { state: "sleeping" } },
      want: ['status.state: "sleeping" is not one of online, offline, ok, unknown, unhealthy'],
    },
  ])("reports $name with path and value", ({ kind, obj, want }) => {
    expect(schemaProblems(kind, obj).map(formatProblem)).toEqual(want);
  });

  it("turns JSON pointers into kubectl paths", () => {
    expect(fieldPath("/spec/propertyVisitors/0/bluetooth/dataWrite/a~1b")).toBe(
      "spec.propertyVisitors[0].bluetooth.dataWrite.a/b",
    );
  });
});
