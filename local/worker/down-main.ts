/** Entry point of the cluster watchdog: `node --import tsx/esm down-main.ts <cluster dir>`. */
import { rmSync } from "node:fs";
import { stopCluster } from "./cluster.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: down-main.ts <cluster dir>");
await stopCluster(dir, line => process.stderr.write(`[cluster watchdog] ${line}\n`));
// The folder of an owned cluster is a test's temporary folder (as the control plane's watchdog).
rmSync(dir, { recursive: true, force: true });
