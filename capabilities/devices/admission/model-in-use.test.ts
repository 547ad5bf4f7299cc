import { describe, expect, it } from "vitest";
import type { Device, DeviceModel } from "../../../crds/index.js";
import { modelDeletionDenial } from "./model-in-use.js";

const model = { metadata: { name: "thermo", namespace: "a" } } as DeviceModel;
const dev = (name: string, ns: string, ref: string): Device =>
  ({ metadata: { name, namespace: ns }, spec: { deviceModelRef: { name: ref } } }) as Device;

describe("modelDeletionDenial", () => {
  it.each([
    {
      name: "allows deleting an unused model",
      devices: [dev("x", "a", "other"), dev("y", "b", "thermo")],
      want: undefined,
    },
    {
      name: "lists the devices that still use the model, sorted",
      devices: [dev("t2", "a", "thermo"), dev("t1", "a", "thermo"), dev("t3", "b", "thermo")],
      want: "DeviceModel a/thermo is still used by Device(s) t1, t2; delete or re-point them first",
    },
  ])("$name", ({ devices, want }) => {
    expect(modelDeletionDenial(model, devices)).toBe(want);
  });

  it("lists at most 20 names and counts the rest", () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      dev(`d${String(i).padStart(2, "0")}`, "a", "thermo"),
    );
    expect(modelDeletionDenial(model, many)).toMatch(/d19 and 3 more; delete/);
  });
});
