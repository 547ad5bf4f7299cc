/**
 * Installs the project's CRDs (every CustomResourceDefinition in crds/*.yaml) and waits until
 * the apiserver serves them.
 */
import { join } from "node:path";
import { readManifests } from "./manifests.js";

import type { Kube, ObjectRef } from "./kube.js";
import { REPO_ROOT } from "./module-runner.js";

export const CRD_DIR = join(REPO_ROOT, "crds");

export function readCrds(dir = CRD_DIR): ObjectRef[] {
  return readManifests(dir).filter(o => o.kind === "CustomResourceDefinition");
}

export async function installCrds(kube: Kube, crds: ObjectRef[]): Promise<string[]> {
  for (const crd of crds) await kube.apply(crd);
  const names = crds.map(c => c.metadata!.name!);
  for (const name of names) await kube.waitForCrd(name);
  return names;
}

/** The real CRDs when crds/ has them; the permissive stand-ins otherwise (tests only). */
export function crdsForTests(): ObjectRef[] {
  const real = readCrds();
  const has = (plural: string): boolean =>
    real.some(c => c.metadata?.name === `${plural}.devices.kubeedge.io`);
  if (has("devices") && has("devicemodels")) return real;
  return readCrds(join(REPO_ROOT, "e2e", "cloud", "fixtures"));
}
