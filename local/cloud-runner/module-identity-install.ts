/**
 * Installing the module's identity (module-rbac.ts) from the source tree, without `pepr build`:
 * `kubeedge-ts init` and `cloud up` apply it, `reset` removes it by name.
 */
import { readFileSync, rmSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import type { Kube, ObjectRef } from "../kube/kube.js";
import { bundleModule, loadCapabilities } from "./module-bundle.js";
import { moduleRbac, rbacObjects, type ModuleRbac, type PolicyRule } from "./module-rbac.js";
import { moduleName, REPO_ROOT } from "./module-runner.js";

/** The module's package.json `pepr.rbac` rules. */
function customRules(root: string): PolicyRule[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    pepr?: { rbac?: PolicyRule[] };
  };
  return pkg.pepr?.rbac ?? [];
}

/**
 * The module's ServiceAccount, ClusterRole and ClusterRoleBinding as `pepr build` would write
 * them, from the package.json and the capabilities of the module entry (bundled and loaded).
 */
export async function moduleRbacOf(root = REPO_ROOT, entry = "pepr.ts"): Promise<ModuleRbac> {
  const path = resolve(root, entry);
  const bundled = extname(path) === ".ts";
  const runnable = bundled ? await bundleModule(root, path) : path; // a built bundle runs as is
  try {
    return moduleRbac(moduleName(root), customRules(root), await loadCapabilities(runnable));
  } finally {
    if (bundled) rmSync(runnable, { force: true });
  }
}

/** Applies the module's identity (server-side apply: a second run changes nothing). */
export async function installModuleIdentity(kube: Kube, rbac: ModuleRbac): Promise<ObjectRef[]> {
  const objects = rbacObjects(rbac);
  for (const obj of objects) await kube.apply(obj);
  return objects;
}

/** What installModuleIdentity created, by name, in the order to remove it. */
export function moduleIdentityRefs(root = REPO_ROOT): ObjectRef[] {
  return rbacObjects(moduleRbac(moduleName(root), [], [])).reverse();
}
