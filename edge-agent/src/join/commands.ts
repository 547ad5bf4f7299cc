/** `kubeedge-edge join` and `kubeedge-edge reset`: subcommands beside the agent's own flags. */
import { type Command, InvalidArgumentError } from "commander";
import { resolve } from "node:path";
import { DEFAULT_DATA_DIR } from "../config/defaults.js";
import { JoinRefused } from "./discovery.js";
import { joinCluster } from "./join.js";
import { joinLayout, readJoinRecord } from "./layout.js";
import { resetNode } from "./reset.js";
import { installService, renderUnit, UNIT_PATH } from "./service.js";
import { writeFileSync } from "node:fs";

interface JoinFlags {
  server: string;
  token: string;
  caHash: string;
  nodeName: string;
  dataDir: string;
  discoveryTimeout: number;
  approvalTimeout: number;
  installService?: boolean;
  certificateValidity?: number;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("not a number of seconds");
  return n;
}

const say = (line: string): void => void process.stderr.write(`[join] ${line}\n`);

async function runJoin(o: JoinFlags): Promise<void> {
  const dataDir = resolve(o.dataDir);
  try {
    const joined = await joinCluster({
      server: o.server,
      token: o.token,
      caHash: o.caHash,
      nodeName: o.nodeName,
      dataDir,
      discoveryTimeoutMs: o.discoveryTimeout * 1000,
      approvalTimeoutMs: o.approvalTimeout * 1000,
      certificateValiditySeconds: o.certificateValidity,
      progress: say,
    });
    say(
      `node identity ${joined.certificate.subject.replace(/\n/g, ", ")} (until ${joined.certificate.validTo})`,
    );
    say(`wrote ${joined.kubeconfig} and ${joined.config}`);
    const bin = resolve(process.argv[1] ?? "kubeedge-edge");
    if (o.installService) {
      const unit = renderUnit({ node: process.execPath, bin, config: joined.config, dataDir });
      installService(unit);
      const record = readJoinRecord(dataDir);
      if (record) {
        record.serviceUnit = UNIT_PATH;
        writeFileSync(joinLayout(dataDir).record, JSON.stringify(record, null, 2), { mode: 0o600 });
      }
      say(`installed and started ${UNIT_PATH}`);
    }
    console.log(`kubeedge-edge --config ${joined.config}`);
  } catch (err) {
    if (err instanceof JoinRefused) {
      process.stderr.write(`kubeedge-edge join: refused: ${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }
}

export function registerJoinCommands(program: Command): void {
  program
    .command("join")
    .description(
      "join a cluster with a bootstrap token (TLS bootstrap): verify the CA, get a node " +
        "certificate through a CSR, write <data-dir>/config.yaml",
    )
    .requiredOption("--server <url>", "apiserver URL, https://host:port")
    .requiredOption("--token <id.secret>", "bootstrap token from `kubeedge-ts token create`")
    .requiredOption("--ca-hash <sha256:hex>", "pin of the cluster CA's public key")
    .requiredOption("--node-name <name>", "name of this node")
    .option("--data-dir <dir>", "where the identity, config and agent state go", DEFAULT_DATA_DIR)
    .option(
      "--discovery-timeout <s>",
      "wait for cluster-info to be signed for the token",
      seconds,
      30,
    )
    .option("--approval-timeout <s>", "wait for the CSR to be approved and issued", seconds, 60)
    .option(
      "--certificate-validity <s>",
      "lifetime to ask for in each CSR (>= 600; default: the signer's)",
      seconds,
    )
    .option("--install-service", "install and start the systemd unit kubeedge-edge.service")
    .action(runJoin);

  program
    .command("reset")
    .description(
      "undo join: stop the service, delete this node's Node and Lease, remove what join wrote",
    )
    .option("--data-dir <dir>", "the data dir given to join", DEFAULT_DATA_DIR)
    .option("--keep-cluster-objects", "leave the Node and Lease in the cluster")
    .action(async (o: { dataDir: string; keepClusterObjects?: boolean }) => {
      const dataDir = resolve(o.dataDir);
      const result = await resetNode(dataDir, { keepClusterObjects: o.keepClusterObjects });
      if (result.removed.length === 0) {
        console.log(`nothing to reset: ${dataDir} holds no joined node`);
        return;
      }
      for (const w of result.warnings) process.stderr.write(`[reset] warning: ${w}\n`);
      console.log(`removed ${result.removed.join(", ")}`);
    });
}
