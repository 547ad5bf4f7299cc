/**
 * Reading the YAML the cloud installs besides the module: CRDs (crds/) and RBAC (rbac/).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { ObjectRef } from "../kube/kube.js";
import { REPO_ROOT } from "./module-runner.js";

export const RBAC_DIR = join(REPO_ROOT, "rbac");

/** All objects in dir/*.yaml (sorted by file name); a missing dir gives none. */
export function readManifests(dir: string): ObjectRef[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter(f => /\.ya?ml$/.test(f))
      .sort();
  } catch {
    return [];
  }
  return files
    .flatMap(f => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map(d => d.toJS()))
    .filter((o): o is ObjectRef => Boolean(o?.kind));
}
