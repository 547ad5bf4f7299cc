/** Applies the TLS bootstrap objects (cluster-info and its RBAC) with the admin identity. */
import { readFileSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { eventually } from "@kubeedge-ts/testkit";
import { KubeClient } from "../../capabilities/profiles/kube-client.js";
import { bootstrapObjects } from "./bootstrap-objects.js";

export async function applyBootstrapObjects(
  adminKubeconfig: string,
  server: string,
  caCertFile: string,
): Promise<void> {
  const config = new KubeConfig();
  config.loadFromFile(adminKubeconfig);
  const client = new KubeClient(config, "kubeedge-ts-cluster");
  const objects = bootstrapObjects(server, readFileSync(caCertFile, "utf8"));
  try {
    // kube-public is made by the apiserver's system-namespaces controller, which may still be
    // on its way when /readyz first answers: retry the (idempotent) applies until it exists.
    await eventually(
      "cluster-info and the bootstrap RBAC applied",
      async () => {
        for (const { path, object } of objects) await client.apply(path, object);
        return true;
      },
      30_000,
      200,
    );
  } finally {
    client.close();
  }
}
