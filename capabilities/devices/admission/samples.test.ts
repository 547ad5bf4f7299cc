/**
 * Every shipped sample passes the same schema and rules the webhook applies, so `kubectl apply`
 * of a sample is never refused by our own admission.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  deviceModelV1alpha2Schema,
  deviceV1alpha2Schema,
  type Device,
  type DeviceModel,
} from "../../../crds/index.js";
import { undeclaredFields } from "./pruned-fields.js";
import { deviceProblems } from "./device-rules.js";
import { deviceModelProblems } from "./devicemodel-rules.js";
import { mutateDevice } from "./device-mutate.js";
import { schemaProblems } from "../../shared/schema.js";

const SAMPLES = fileURLToPath(new URL("../../../samples", import.meta.url));
const files = readdirSync(SAMPLES).filter(
  f => f.endsWith(".yaml") && !f.includes("mapper-deployment"),
);

function load(file: string): { models: DeviceModel[]; devices: Device[] } {
  const docs = parseAllDocuments(readFileSync(join(SAMPLES, file), "utf8")).map(d => d.toJS());
  const withNs = docs.map(d => ({ ...d, metadata: { namespace: "default", ...d.metadata } }));
  return {
    models: withNs.filter(d => d.kind === "DeviceModel"),
    devices: withNs.filter(d => d.kind === "Device"),
  };
}

describe("samples", () => {
  it("include the thermometers, the SensorTag and the water utility", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "modbus-tcp-thermometer.yaml",
        "modbus-rtu-thermometer.yaml",
        "bluetooth-sensortag.yaml",
        "water-utility.yaml",
      ]),
    );
  });

  it.each(files)("%s uses only fields the CRDs declare (KubeEdge's field names)", file => {
    const { models, devices } = load(file);
    for (const m of models) expect(undeclaredFields(m, deviceModelV1alpha2Schema)).toEqual([]);
    for (const d of devices) expect(undeclaredFields(d, deviceV1alpha2Schema)).toEqual([]);
  });

  it.each(files)("%s passes schema and admission rules, before and after mutation", file => {
    const { models, devices } = load(file);
    expect(devices.length).toBeGreaterThan(0);
    for (const m of models) {
      expect(schemaProblems("DeviceModel", m)).toEqual([]);
      expect(deviceModelProblems(m)).toEqual([]);
    }
    for (const d of devices) {
      const model = models.find(m => m.metadata?.name === d.spec?.deviceModelRef?.name);
      expect(model?.metadata?.name, `model of ${d.metadata?.name}`).toBe(
        d.spec?.deviceModelRef?.name,
      );
      const mutated = mutateDevice(d, model);
      for (const obj of [d, mutated]) {
        expect(schemaProblems("Device", obj)).toEqual([]);
        expect(deviceProblems(obj, model)).toEqual([]);
      }
    }
  });
});
