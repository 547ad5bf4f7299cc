/** Entry point of the teardown watchdog: `node --import tsx/esm teardown-main.ts <dir>`. */
import { teardownContainerd } from "./teardown.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: teardown-main.ts <containerd run dir>");
await teardownContainerd(dir, line => process.stderr.write(`[containerd teardown] ${line}\n`));
