import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "@kubeedge-ts/testkit";
import { eventually, testCluster, type TestCluster } from "../harness.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";

const NS = "runner-smoke";
const LABEL = "kubeedge-ts.test/smoke";

function configMap(name: string, data: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: NS, labels: { [LABEL]: "x" } },
    data,
  });
}

describe("module runner", () => {
  let cluster: TestCluster;
  let module: RunningModule | undefined;

  beforeAll(async () => {
    cluster = testCluster();
    await cluster.kubectl(["create", "namespace", NS]);
    const t0 = Date.now();
    module = await startModule({
      kubeconfig: cluster.adminKubeconfig,
      entry: "e2e/cloud/fixtures/smoke-module.ts",
    });
    console.log(`module started in ${Date.now() - t0} ms`);
  });

  afterAll(async () => {
    await module?.stop();
    await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  });

  it("registers webhooks on https://127.0.0.1 with a caBundle and sideEffects None", async () => {
    const out = await cluster.kubectl([
      "get",
      "validatingwebhookconfiguration",
      module!.name,
      "-o",
      "json",
    ]);
    expect(out.code).toBe(0);
    const hook = JSON.parse(out.stdout).webhooks[0];
    expect(hook.clientConfig.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/validate\/[0-9a-f]{64}$/);
    expect(hook.clientConfig.caBundle).toBeTruthy();
    expect(hook.sideEffects).toBe("None");
    expect(hook.namespaceSelector.matchExpressions[0].values).toContain("kube-system");
  });

  it("serves mutating and validating admission", async () => {
    const denied = await eventually("the webhook to be called", async () => {
      const r = await cluster.kubectl(["apply", "-f", "-"], {
        input: configMap("bad", { deny: "please" }),
      });
      return r.code !== 0 && r.stderr.includes('data.deny is set to "please"') ? r : undefined;
    });
    expect(denied.stderr).toContain("denied the request");
    const ok = await cluster.kubectl(["apply", "-f", "-"], {
      input: configMap("good", { a: "b" }),
    });
    expect(ok.code, ok.stderr).toBe(0);
    const got = await cluster.kubectl([
      "get",
      "configmap",
      "-n",
      NS,
      "good",
      "-o",
      "jsonpath={.metadata.annotations}",
    ]);
    expect(got.stdout).toContain('"kubeedge-ts.test/mutated":"yes"');
  });

  it("runs watch bindings", async () => {
    await eventually("the watch to create good-seen", async () => {
      const r = await cluster.kubectl(["get", "configmap", "-n", NS, "good-seen"]);
      return r.code === 0;
    });
  });

  it("starts the module process again after a SIGKILL, and its webhooks answer again", async () => {
    const killed = module!.pid;
    process.kill(killed, "SIGKILL");
    await eventually(
      "a new module process",
      () => module!.restarts === 1 && module!.pid !== killed && isAlive(module!.pid),
      30_000,
    );
    expect(isAlive(killed)).toBe(false);
    let attempt = 0;
    await eventually(
      "the restarted module to deny through the same webhook",
      async () => {
        const r = await cluster.kubectl(["apply", "-f", "-"], {
          input: configMap(`bad-after-restart-${attempt++}`, { deny: "please" }),
        });
        return r.code !== 0 && r.stderr.includes('data.deny is set to "please"');
      },
      60_000,
      500,
    );
  });

  it("stop leaves no process and no webhook configuration", async () => {
    const { pid, name, logFile } = module!;
    await module!.stop();
    module = undefined;
    expect(isAlive(pid)).toBe(false);
    for (const kind of ["validatingwebhookconfiguration", "mutatingwebhookconfiguration"]) {
      const r = await cluster.kubectl(["get", kind, name]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("NotFound");
    }
    expect(logFile && existsSync(logFile)).toBeFalsy();
    // With the webhooks gone, writes no longer depend on the module.
    const r = await cluster.kubectl(["apply", "-f", "-"], {
      input: configMap("after", { deny: "x" }),
    });
    expect(r.code, r.stderr).toBe(0);
  });
});
