/**
 * One Device name per node. On the v1alpha2 wire a device's id is its bare name (profile `id`,
 * `$hw/events/device/<name>/…` topics, membership lists), so two Devices with the same name
 * bound to the same node in different namespaces would share every topic on that node. The
 * second one is refused, naming the first.
 *
 * The check reads the apiserver's current Devices of that name (never a cache). Two creates
 * racing in the same instant can still both pass, as with any check-then-write admission rule;
 * the agent then answers requests on the shared id with an "ambiguous" error result instead of
 * guessing (docs/compatibility.md).
 */
import type { Device } from "../../../crds/index.js";
import { boundNode } from "../../shared/node-binding.js";
import { problem, type Problem } from "../../shared/problems.js";

function idOf(d: Device): string {
  return `${d.metadata?.namespace ?? ""}/${d.metadata?.name ?? ""}`;
}

/**
 * The problem when another Device (any namespace) with the same name is bound to the node this
 * one is bound to. `sameName` is every Device named like `device`, as the apiserver lists them.
 */
export function namePerNodeProblems(device: Device, sameName: Device[]): Problem[] {
  const node = boundNode(device);
  const name = device.metadata?.name;
  if (!node || !name) return [];
  const clash = sameName
    .filter(d => d.metadata?.name === name && idOf(d) !== idOf(device))
    .filter(d => boundNode(d) === node)
    .map(idOf)
    .sort();
  if (clash.length === 0) return [];
  return [
    problem(
      "metadata.name",
      `is already used on node ${node} by Device ${clash.join(", ")}: a device's name is its id ` +
        "in the node's MQTT topics (KubeEdge v1alpha2), so it must be unique per node",
      name,
    ),
  ];
}
