/**
 * The generated TypeScript (classes and the admission schema) must be what crds/generate.ts
 * makes from the CRD YAML today; otherwise someone edited one without the other.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATED_DIR, generateAll, readCrdSources } from "./generate.js";
import { deviceModelV1alpha2Schema, deviceV1alpha2Schema } from "./index.js";

describe("generated CRD types", () => {
  const fresh = mkdtempSync(join(tmpdir(), "kubeedge-ts-crds-"));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it("match a fresh generation from the CRD YAML", async () => {
    await generateAll(fresh);
    const committed = readdirSync(GENERATED_DIR).sort();
    expect(readdirSync(fresh).sort()).toEqual(committed);
    for (const file of committed) {
      const hint = `crds/generated/${file} drifted from the YAML: run npx tsx crds/generate.ts`;
      expect(readFileSync(join(GENERATED_DIR, file), "utf8"), hint).toBe(
        readFileSync(join(fresh, file), "utf8"),
      );
    }
  }, 60_000);

  it("export the YAML's openAPIV3Schema objects for admission", () => {
    const byKind = new Map(readCrdSources().map(c => [c.spec?.names?.kind, c]));
    const schemaOf = (kind: string): unknown =>
      byKind.get(kind)?.spec?.versions?.[0]?.schema?.openAPIV3Schema;
    expect(deviceV1alpha2Schema).toEqual(schemaOf("Device"));
    expect(deviceModelV1alpha2Schema).toEqual(schemaOf("DeviceModel"));
  });

  it("keep KubeEdge's v1alpha2 group, namespaced scope and no status subresource", () => {
    for (const crd of readCrdSources() as {
      spec: { group: string; scope: string; versions: { name: string; subresources?: object }[] };
    }[]) {
      expect(crd.spec.group).toBe("devices.kubeedge.io");
      expect(crd.spec.scope).toBe("Namespaced");
      expect(crd.spec.versions.map(v => v.name)).toEqual(["v1alpha2"]);
      expect(crd.spec.versions[0].subresources).toBeUndefined();
    }
  });
});
