/**
 * A Pepr module with only the admission capabilities (devices, edge-nodes, edge-pods), so
 * bench/cloud-admission-rules.ts measures the webhooks without the profile reconciler's work
 * competing for the same process.
 */
import { PeprModule } from "pepr";
import cfg from "../package.json" with { type: "json" };
import { Devices } from "../capabilities/devices/index.js";
import { EdgeNodes } from "../capabilities/nodes/index.js";
import { EdgePods } from "../capabilities/pods/index.js";

const module = new PeprModule(cfg, [Devices, EdgeNodes, EdgePods], { deferStart: true });
if (process.env.PEPR_MODE !== "build") {
  module.start(Number(process.env.KUBEEDGE_TS_WEBHOOK_PORT ?? "3000"));
}
