/** `kubeedge-ts token create`: a bootstrap token for `kubeedge-edge join`, printed as a join line. */
import type { Command } from "commander";
import { resolve } from "node:path";
import { createBootstrapToken } from "../local/bootstrap-token/create.js";
import { parseTtl } from "../local/bootstrap-token/token.js";
import { loadKube } from "../local/kube/kube.js";

interface CreateOptions {
  kubeconfig: string;
  ttl: string;
  server?: string;
}

export function registerTokenCommands(program: Command): void {
  const token = program.command("token").description("bootstrap tokens for joining edge nodes");
  token
    .command("create")
    .description(
      "create a bootstrap token (Secret bootstrap-token-<id> in kube-system); the last line " +
        "printed is the kubeedge-edge join command",
    )
    .requiredOption("--kubeconfig <file>", "admin kubeconfig of the cluster")
    .option("--ttl <duration>", "lifetime, e.g. 24h, 30m; 0 = never expires", "24h")
    .option(
      "--server <url>",
      "apiserver URL the edge reaches (default: the server cluster-info publishes)",
    )
    .action(async (o: CreateOptions) => {
      const ttlMs = parseTtl(o.ttl);
      const kube = loadKube(resolve(o.kubeconfig));
      try {
        const { token: t, joinLine } = await createBootstrapToken(kube, ttlMs, o.server);
        const until = t.expires ? `expires ${t.expires.toISOString()}` : "never expires";
        console.log(`[token] created bootstrap token ${t.id} (${until})`);
        console.log(joinLine);
      } finally {
        kube.close();
      }
    });
}
