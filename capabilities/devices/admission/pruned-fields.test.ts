import { describe, expect, it } from "vitest";
import { deviceV1alpha2Schema } from "../../../crds/index.js";
import { undeclaredFields } from "./pruned-fields.js";

describe("undeclaredFields", () => {
  it.each([
    { name: "a declared device", obj: { spec: { deviceModelRef: { name: "m" } } }, want: [] },
    { name: "a typo", obj: { spec: { propertyVistors: [] } }, want: [".spec.propertyVistors"] },
    {
      name: "inside an array",
      obj: { spec: { propertyVisitors: [{ propertyName: "a", modbus: { offst: 1 } }] } },
      want: [".spec.propertyVisitors[0].modbus.offst"],
    },
    {
      name: "free-form configData and dataWrite keys",
      obj: {
        spec: {
          protocol: { customizedProtocol: { configData: { any: { thing: 1 } } } },
          propertyVisitors: [{ bluetooth: { dataWrite: { ON: "AQ==" } } }],
        },
      },
      want: [],
    },
    { name: "anything under metadata", obj: { metadata: { labels: { a: "b" }, x: 1 } }, want: [] },
  ])("$name", ({ obj, want }) => {
    expect(undeclaredFields(obj, deviceV1alpha2Schema)).toEqual(want);
  });
});
