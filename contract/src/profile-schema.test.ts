import { describe, expect, it } from "vitest";
import {
  checkSchema,
  deviceInstanceSchema,
  deviceModelSchema,
  joinField,
  propertyVisitorSchema,
  protocolSchema,
  type ProfileSchema,
} from "./profile-schema.js";

describe("checkSchema", () => {
  it.each<[string, ProfileSchema, unknown, string, { field: string; reason: string }[]]>([
    ["a fitting instance", deviceInstanceSchema, inst(), "", []],
    [
      "a missing id",
      deviceInstanceSchema,
      { ...inst(), id: undefined },
      "",
      [{ field: "id", reason: "is required" }],
    ],
    [
      "an empty model name",
      deviceInstanceSchema,
      { ...inst(), model: "" },
      "",
      [{ field: "model", reason: "must NOT have fewer than 1 characters" }],
    ],
    [
      "a twin without propertyName",
      deviceInstanceSchema,
      { ...inst(), twins: [{}] },
      "",
      [{ field: "twins[0].propertyName", reason: "is required" }],
    ],
    [
      "an unknown data type",
      deviceModelSchema,
      { name: "m", properties: [{ name: "p", dataType: "complex" }] },
      "model",
      [
        {
          field: "model.properties[0].dataType",
          reason: "must be equal to one of the allowed values",
        },
      ],
    ],
    [
      "a fractional and a negative cycle",
      propertyVisitorSchema,
      { propertyName: "p", visitorConfig: {}, collectCycle: 1.5, reportCycle: -1 },
      "propertyVisitors[2]",
      [
        { field: "propertyVisitors[2].reportCycle", reason: "must be >= 0" },
        { field: "propertyVisitors[2].collectCycle", reason: "must be integer" },
      ],
    ],
    [
      "a null protocolConfig",
      protocolSchema,
      { name: "x", protocol: "modbus", protocolConfig: null },
      "protocol",
      [],
    ],
    [
      "a string protocolConfig",
      protocolSchema,
      { name: "x", protocol: "modbus", protocolConfig: "x" },
      "protocol",
      [{ field: "protocol.protocolConfig", reason: "must be object,null" }],
    ],
    [
      "not an object",
      protocolSchema,
      [],
      "protocol",
      [{ field: "protocol", reason: "must be object" }],
    ],
    [
      "a value above a maximum",
      { type: "object", properties: { slaveID: { type: "integer", maximum: 255 } } },
      { slaveID: 256 },
      "",
      [{ field: "slaveID", reason: "must be <= 255" }],
    ],
  ])("%s", (_name, schema, value, prefix, want) => {
    expect(checkSchema(schema, value, prefix)).toEqual(want);
  });

  it("joins instance paths as the mappers print fields", () => {
    expect(joinField("", ["a", "0", "b"])).toBe("a[0].b");
    expect(joinField("propertyVisitors[1]", ["visitorConfig", "offset"])).toBe(
      "propertyVisitors[1].visitorConfig.offset",
    );
  });
});

function inst(): Record<string, unknown> {
  return { id: "default/d", name: "d", protocol: "modbus-default-d", model: "m" };
}
