/**
 * The Bluetooth mapper's Deployment sample is accepted by a real kube-apiserver (server-side
 * dry run: full schema validation and defaulting, nothing stored).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { testCluster } from "../harness.js";

const SAMPLE = fileURLToPath(
  new URL("../../samples/bluetooth-mapper-deployment.yaml", import.meta.url),
);

describe("bluetooth mapper sample", () => {
  it("passes server-side validation", async () => {
    const cluster = testCluster();
    const res = await cluster.kubectl(["apply", "--dry-run=server", "-f", "-", "-o", "name"], {
      input: readFileSync(SAMPLE, "utf8"),
    });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split("\n").sort()).toEqual([
      "configmap/bluetooth-mapper-config",
      "deployment.apps/bluetooth-mapper",
    ]);
  });
});
