/**
 * The locally built Pepr controller image runs this module's `pepr build` bundle: in a real
 * container on a private containerd, as the uid/gid the Deployments use, the bundle written to
 * /app (as the controller writes /app/module-<hash>.js) loads and reports its capabilities in
 * Pepr's build mode, and every package it requires resolves under /app/node_modules.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEPR_BUILD_TIMEOUT_MS, peprBuild } from "../cloud-runner/pepr-build.js";
import { type RunningContainerd, startContainerd } from "../containerd/index.js";
import { buildImage } from "./build-image.js";
import { importImage } from "./import-image.js";
import {
  bundleRequires,
  PEPR_CONTROLLER_UID,
  peprControllerImage,
  peprControllerImageRef,
} from "./pepr-controller-image.js";

// Runs inside the container: what the controller does with the module, then Pepr's build mode.
const PROBE = `
const { fork } = require("node:child_process");
const { copyFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const target = "/app/module-probe.js";
copyFileSync("/app/load/module.js", target);
const req = createRequire(target);
const resolved = Object.fromEntries(JSON.parse(process.argv[1]).map(p => {
  try { return [p, req.resolve(p)]; } catch (e) { return [p, "unresolved: " + e.message]; }
}));
const child = fork(target, [], { env: { ...process.env, PEPR_MODE: "build" }, stdio: "inherit" });
child.once("message", caps => {
  console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), resolved,
    capabilities: caps.map(c => c.name) }));
  child.kill("SIGKILL");
  process.exit(0);
});
child.once("exit", code => { console.error("module exited " + code); process.exit(1); });
`;

interface ProbeResult {
  uid: number;
  gid: number;
  resolved: Record<string, string>;
  capabilities: string[];
}

describe("the Pepr controller image", () => {
  let dir: string;
  let containerd: RunningContainerd | undefined;
  let moduleFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-pepr-image-it-"));
    const [build, image] = await Promise.all([
      peprBuild(),
      peprControllerImage().then(spec => buildImage(spec)),
    ]);
    moduleFile = build.moduleFile;
    expect(image.ref).toBe(peprControllerImageRef());
    containerd = await startContainerd({ dir: join(dir, "containerd"), ownerPid: process.pid });
    await importImage(containerd.address, image);
  }, PEPR_BUILD_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await containerd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads the module bundle from /app as 65532, and resolves what it requires there", async () => {
    const load = join(dir, "load");
    mkdirSync(load);
    copyFileSync(moduleFile, join(load, "module.js"));
    const requires = bundleRequires(readFileSync(moduleFile, "utf8"));
    expect(requires).toEqual(
      expect.arrayContaining(["pepr", "kubernetes-fluent-client", "@kubernetes/client-node"]),
    );
    const { stdout } = await promisify(execFile)(
      "ctr",
      [
        ...["--address", containerd!.address, "-n", "k8s.io", "run", "--rm"],
        `--mount=type=bind,src=${load},dst=/app/load,options=rbind:ro`,
        peprControllerImageRef(),
        `pepr-image-probe-${process.pid}`,
        ...["node", "-e", PROBE, JSON.stringify(requires)],
      ],
      { timeout: 120_000 },
    );
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as ProbeResult;
    expect(result.uid).toBe(PEPR_CONTROLLER_UID);
    expect(result.gid).toBe(PEPR_CONTROLLER_UID);
    for (const name of requires) {
      expect(result.resolved[name], name).toMatch(
        new RegExp(`^/app/node_modules/${name.replace("/", "\\/")}/`),
      );
    }
    expect(result.capabilities).toEqual(
      expect.arrayContaining(["devices", "device-profiles", "edge-nodes"]),
    );
  }, 180_000);
});
