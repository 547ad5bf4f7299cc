import { describe, expect, it } from "vitest";
import type { DeviceModel } from "../../../crds/index.js";
import { deviceModelProblems } from "./devicemodel-rules.js";
import { formatProblem } from "../../shared/problems.js";

const model = (properties: unknown[]): DeviceModel =>
  ({ metadata: { name: "m", namespace: "ns" }, spec: { properties } }) as DeviceModel;
const temp = (int: object, name = "temperature"): object => ({ name, type: { int } });

describe("deviceModelProblems", () => {
  const cases: { name: string; properties: unknown[]; want: string[] }[] = [
    {
      name: "accepts a legal model",
      properties: [
        temp({ accessMode: "ReadOnly", minimum: -40, maximum: 125, defaultValue: 20 }),
        { name: "enable", type: { string: { accessMode: "ReadWrite", defaultValue: "OFF" } } },
      ],
      want: [],
    },
    {
      name: "refuses a model without properties",
      properties: [],
      want: ["spec.properties: must list at least one property"],
    },
    {
      name: "refuses duplicate property names",
      properties: [temp({ accessMode: "ReadOnly" }), temp({ accessMode: "ReadWrite" })],
      want: ['spec.properties[1].name: "temperature" is used by more than one property'],
    },
    {
      name: "refuses a name that is not a twin key",
      properties: [temp({ accessMode: "ReadOnly" }, "room temp")],
      want: [
        'spec.properties[0].name: "room temp" is not a legal twin key (^[a-zA-Z0-9-_.,:/@#]{1,128}$)',
      ],
    },
    {
      name: "refuses minimum above maximum",
      properties: [temp({ accessMode: "ReadOnly", minimum: 10, maximum: 5 })],
      want: ["spec.properties[0].type.int.minimum: 10 is greater than maximum 5"],
    },
    {
      name: "refuses a default above the maximum",
      properties: [
        { name: "p", type: { double: { accessMode: "ReadWrite", maximum: 1.5, defaultValue: 2 } } },
      ],
      want: ["spec.properties[0].type.double.defaultValue: 2 is above maximum 1.5"],
    },
    {
      name: "refuses a default below the minimum",
      properties: [temp({ accessMode: "ReadWrite", minimum: 0, defaultValue: -1 })],
      want: ["spec.properties[0].type.int.defaultValue: -1 is below minimum 0"],
    },
    {
      name: "refuses two type members",
      properties: [
        {
          name: "x",
          type: { int: { accessMode: "ReadOnly" }, string: { accessMode: "ReadOnly" } },
        },
      ],
      want: [
        "spec.properties[0].type: must set exactly one of int, double, float, string, boolean, bytes, sets int and string",
      ],
    },
    {
      name: "refuses an empty type",
      properties: [{ name: "x", type: {} }],
      want: [
        "spec.properties[0].type: must set exactly one of int, double, float, string, boolean, bytes",
      ],
    },
    {
      name: "refuses an unknown access mode",
      properties: [{ name: "x", type: { boolean: { accessMode: "WriteOnly" } } }],
      want: [
        'spec.properties[0].type.boolean.accessMode: "WriteOnly" must be ReadOnly or ReadWrite',
      ],
    },
  ];
  it.each(cases)("$name", ({ properties, want }) => {
    expect(deviceModelProblems(model(properties)).map(formatProblem)).toEqual(want);
  });
});
