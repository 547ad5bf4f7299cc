/**
 * samples/water-utility.yaml as the demo applies it: the file a user reads, with the Devices'
 * gateway address pointed at the running simulator and their node selectors at the demo's node.
 * Nothing else is changed.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const WATER_UTILITY_SAMPLE = fileURLToPath(
  new URL("../../samples/water-utility.yaml", import.meta.url),
);

/** The sample's Device names, by instrument. */
export const WATER_DEVICES = {
  level: "reservoir-level",
  pressure: "line-pressure",
  valve: "outlet-valve",
} as const;

export interface SampleBinding {
  node: string;
  gateway: { host: string; port: number };
}

type Manifest = Record<string, unknown> & { kind: string };

interface DeviceSpec {
  protocol?: { common?: { tcp?: { ip: string; port: number } } };
  nodeSelector?: { nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[] };
}

export function readSample(file = WATER_UTILITY_SAMPLE): Manifest[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map(d => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null);
}

export function bindSample(manifests: Manifest[], binding: SampleBinding): Manifest[] {
  return manifests.map(m => {
    if (m.kind !== "Device") return m;
    const copy = structuredClone(m);
    const spec = copy.spec as DeviceSpec;
    if (spec.protocol?.common?.tcp) {
      spec.protocol.common.tcp = { ip: binding.gateway.host, port: binding.gateway.port };
    }
    for (const term of spec.nodeSelector?.nodeSelectorTerms ?? []) {
      for (const e of term.matchExpressions) e.values = [binding.node];
    }
    return copy;
  });
}
