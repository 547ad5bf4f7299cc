/** `kubeedge-ts init` and `kubeedge-ts reset`: install the cloud into a cluster and remove it. */
import type { Command } from "commander";
import { resolve } from "node:path";
import { parseTtl } from "../local/bootstrap-token/token.js";
import { initInCluster, initLocal, resetCloud } from "../local/install/init.js";
import { loadKube } from "../local/kube/kube.js";

const say = (line: string): void => console.log(`[init] ${line}`);

interface InitFlags {
  kubeconfig: string;
  local?: boolean;
  ttl: string;
  server?: string;
}

async function init(o: InitFlags): Promise<void> {
  const kube = loadKube(resolve(o.kubeconfig));
  try {
    const opts = { ttlMs: parseTtl(o.ttl), server: o.server, progress: say };
    const joinLine = o.local ? await initLocal(kube, opts) : await initInCluster(kube, opts);
    say(
      o.local
        ? "installed; run the module beside it: kubeedge-ts cloud up --kubeconfig <file>"
        : "installed; the module runs as pods in namespace pepr-system",
    );
    say("join edge nodes with (add --node-name <name>):");
    console.log(joinLine);
  } finally {
    kube.close();
  }
}

export function registerInstallCommands(program: Command): void {
  program
    .command("init")
    .description(
      "install the cloud side (CRDs, edge-node RBAC and policies, Pepr's namespace and store, " +
        "the Pepr module as pods from `pepr build` output unless --local) and a bootstrap " +
        "token; the last line printed is the kubeedge-edge join command",
    )
    .requiredOption("--kubeconfig <file>", "admin kubeconfig of the cluster")
    .option("--local", "the module runs as a local process (kubeedge-ts cloud up), not in pods")
    .option("--ttl <duration>", "lifetime of the join token, e.g. 24h; 0 = never expires", "24h")
    .option("--server <url>", "apiserver URL the edge reaches (default: cluster-info's)")
    .action(init);

  program
    .command("reset")
    .description(
      "remove what init installed, webhooks first; Devices and DeviceModels stay unless --delete-crds",
    )
    .requiredOption("--kubeconfig <file>", "admin kubeconfig of the cluster")
    .option("--delete-crds", "also remove the CRDs, and with them every Device and DeviceModel")
    .action(async (o: { kubeconfig: string; deleteCrds?: boolean }) => {
      const kube = loadKube(resolve(o.kubeconfig));
      try {
        await resetCloud(kube, {
          deleteCrds: Boolean(o.deleteCrds),
          progress: line => console.log(`[reset] ${line}`),
        });
      } finally {
        kube.close();
      }
    });
}
