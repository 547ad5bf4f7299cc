/**
 * The Pepr module root: the capabilities the cloud half of kubeedge-ts runs. `pepr build` bundles
 * this file for the in-cluster controller; `kubeedge-ts cloud up` and the e2e tests run it as a
 * local process (local/cloud-runner/module-runner.ts).
 */
import { PeprModule } from "pepr";
import cfg from "./package.json" with { type: "json" };
import { Devices } from "./capabilities/devices/index.js";
import { EdgeNodes } from "./capabilities/nodes/index.js";
import { EdgePods } from "./capabilities/pods/index.js";
import { Profiles } from "./capabilities/profiles/index.js";

/**
 * In a cluster the controller listens on Pepr's fixed 3000; a local run picks a free port so
 * several modules (parallel test runs, a developer's `cloud up`) can share one machine.
 */
function webhookPort(): number {
  const port = Number(process.env.KUBEEDGE_TS_WEBHOOK_PORT ?? "3000");
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`KUBEEDGE_TS_WEBHOOK_PORT must be a TCP port, got "${port}"`);
  }
  return port;
}

const module = new PeprModule(cfg, [Devices, EdgeNodes, EdgePods, Profiles], { deferStart: true });
// In build mode Pepr only reports the capabilities to its parent and has no server to start.
if (process.env.PEPR_MODE !== "build") module.start(webhookPort());
