/**
 * The real cloud for device-loop e2e tests: the project's CRDs and RBAC (as `kubeedge-ts cloud
 * up` installs them) and the Pepr module run by the module runner — admission, the profile
 * reconciler, per-node reader RBAC and node annotations all come from the product code, not
 * from a stand-in. Plus the few kubectl reads these tests share.
 */
import { crdsForTests, installCrds } from "../../local/cloud-runner/crds.js";
import { loadKube } from "../../local/kube/kube.js";
import { RBAC_DIR } from "../../local/cloud-runner/manifests.js";
import { startModule, type RunningModule } from "../../local/cloud-runner/module-runner.js";
import { eventually, type TestCluster } from "../harness.js";

export interface DeviceObject {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  status?: {
    twins?: {
      propertyName: string;
      desired?: { value?: string; metadata?: Record<string, string> };
      reported?: { value?: string; metadata?: Record<string, string> };
    }[];
    state?: string;
    lastOnlineTime?: string;
  };
}

export async function kubectlOk(
  cluster: TestCluster,
  args: string[],
  input?: string,
): Promise<string> {
  const r = await cluster.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

export async function getDevice(
  cluster: TestCluster,
  ns: string,
  name: string,
): Promise<DeviceObject> {
  return JSON.parse(
    await kubectlOk(cluster, ["get", "device", name, "-n", ns, "-o", "json"]),
  ) as DeviceObject;
}

/** The reported value of one property, as `kubectl get device` shows it. */
export function reportedValue(d: DeviceObject, property: string): string | undefined {
  return d.status?.twins?.find(t => t.propertyName === property)?.reported?.value;
}

/**
 * Applies objects through admission. A Device applied right after its DeviceModel may meet the
 * module's short-lived "model not found" answer for a moment, so the apply is retried until
 * admitted or the deadline; a lasting denial fails with its message.
 */
export async function applyAdmitted(cluster: TestCluster, objects: object[]): Promise<void> {
  const input = JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
  let last = "";
  await eventually(
    "the objects to be admitted",
    async () => {
      const r = await cluster.kubectl(["apply", "-f", "-"], { input });
      last = r.stderr;
      return r.code === 0;
    },
    60_000,
    500,
    () => `last denial: ${last}`,
  );
}

export interface RealCloud {
  module: RunningModule;
  stop(): Promise<void>;
}

/** CRDs, RBAC, the namespaces and the module; stop() removes the module and the namespaces. */
export async function startRealCloud(
  cluster: TestCluster,
  namespaces: string[],
): Promise<RealCloud> {
  await installCrds(loadKube(cluster.adminKubeconfig), crdsForTests());
  await kubectlOk(cluster, ["apply", "-f", RBAC_DIR]);
  for (const ns of namespaces) await cluster.kubectl(["create", "namespace", ns]);
  const module = await startModule({ kubeconfig: cluster.adminKubeconfig });
  return {
    module,
    stop: async () => {
      await module.stop();
      for (const ns of namespaces) {
        await cluster.kubectl(["delete", "namespace", ns, "--wait=false"]);
      }
    },
  };
}
