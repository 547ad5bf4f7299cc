/**
 * Installs the project's CRDs (every CustomResourceDefinition in crds/*.yaml) and waits until
 * the apiserver serves them.
 */
import { join } from "node:path";
import { readManifests } from "./manifests.js";

import type { Kube, ObjectRef } from "../kube/kube.js";
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

/** The project's CRDs; fails when crds/ lacks Device or DeviceModel (tests need both). */
export function crdsForTests(): ObjectRef[] {
  const crds = readCrds();
  for (const plural of ["devices", "devicemodels"]) {
    if (!crds.some(c => c.metadata?.name === `${plural}.devices.kubeedge.io`)) {
      throw new Error(`crds/ has no CustomResourceDefinition ${plural}.devices.kubeedge.io`);
    }
  }
  return crds;
}
