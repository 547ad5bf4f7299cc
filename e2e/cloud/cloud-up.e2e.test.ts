/**
 * `kubeedge-ts cloud up` end to end: installs CRDs and RBAC, runs the module until SIGINT, then
 * leaves no webhook configuration and no process behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, testCluster } from "../harness.js";
import { REPO_ROOT } from "../../local/cloud-runner/module-runner.js";

describe("kubeedge-ts cloud up", () => {
  const cluster = testCluster();
  let child: ChildProcess | undefined;
  let output = "";

  afterAll(() => {
    child?.kill("SIGKILL");
  });

  it("installs CRDs and RBAC, serves until interrupted, then removes its webhooks", async () => {
    child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "bin", "kubeedge-ts.mjs"),
        "cloud",
        "up",
        "--kubeconfig",
        cluster.adminKubeconfig,
      ],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, LOG_LEVEL: "warn" },
      },
    );
    child.stdout!.on("data", c => (output += c));
    child.stderr!.on("data", c => (output += c));
    const exited = new Promise<number | null>(r => child!.once("exit", code => r(code)));
    await eventually(
      "cloud up to be ready",
      async () => output.includes("webhooks at https://127.0.0.1:"),
      90_000,
    );

    for (const args of [
      ["get", "crd", "devices.devices.kubeedge.io", "devicemodels.devices.kubeedge.io"],
      ["get", "clusterrolebinding", "kubeedge-ts:edge-node-device-reporter"],
      ["get", "validatingwebhookconfiguration", "pepr-kubeedge-ts"],
    ]) {
      const r = await cluster.kubectl(args);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    }
    const canPatch = await cluster.kubectl([
      "auth",
      "can-i",
      "patch",
      "devices.devices.kubeedge.io",
      "--as",
      "system:node:x",
      "--as-group",
      "system:nodes",
    ]);
    expect(canPatch.stdout.trim()).toBe("yes");
    const canList = await cluster.kubectl([
      "auth",
      "can-i",
      "list",
      "devices.devices.kubeedge.io",
      "--as",
      "system:node:x",
      "--as-group",
      "system:nodes",
    ]);
    expect(canList.stdout.trim()).toBe("no");

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    child = undefined;
    expect(output).toContain("webhook configurations removed");
    for (const kind of ["validatingwebhookconfiguration", "mutatingwebhookconfiguration"]) {
      const r = await cluster.kubectl(["get", kind, "pepr-kubeedge-ts"]);
      expect(r.stderr).toContain("NotFound");
    }
  });
});
