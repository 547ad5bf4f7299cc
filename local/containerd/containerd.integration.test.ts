/**
 * A private containerd leaves nothing on the host: not when stopped with a pod still running
 * (containerd process, shims, mounts, bridge, NAT rules, network claim all gone), and not when
 * the process that owns it is killed (its watchdog does the same teardown, and removes the run
 * folder when asked to).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { eventually } from "@kubeedge-ts/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { baseImages, buildImage, importImages } from "../images/index.js";
import { containerdPaths, type PodNetwork } from "./config.js";
import { startContainerd } from "./containerd.js";
import { hostHasBridge, iptablesMentions, leftoversOf } from "./host-cleanup.js";
import { claimedBy } from "./pod-network.js";
import { runSleeperPod } from "./cri-pod.fixture.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const runDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-containerd-it-"));
  dirs.push(dir);
  return dir;
};

function expectRunning(dir: string, network: PodNetwork): void {
  expect(hostHasBridge(network.bridge)).toBe(true);
  expect(iptablesMentions(network.name)).toBe(true);
  expect(claimedBy(network)).toBe(dir);
  expect(leftoversOf(dir, network, containerdPaths(dir).runcRoot).length).toBeGreaterThan(3);
}

describe("private containerd teardown", () => {
  it("stop() removes everything while a pod still runs", async () => {
    const built = [];
    for (const spec of baseImages()) built.push(await buildImage(spec));
    const dir = runDir();
    const containerd = await startContainerd({ dir });
    try {
      await importImages(containerd.address, built);
      const cri = await connectCri(containerd.endpoint);
      await runSleeperPod(cri, dir);
      cri.close();
      expectRunning(dir, containerd.network);
    } finally {
      await containerd.stop();
    }
    expect(leftoversOf(dir, containerd.network, containerdPaths(dir).runcRoot)).toEqual([]);
    expect(claimedBy(containerd.network)).toBeUndefined();
  });

  it("the watchdog removes everything when the owner is killed", async () => {
    const dir = runDir();
    const fixture = fileURLToPath(new URL("./run-pod.fixture.ts", import.meta.url));
    const owner = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", fixture, dir],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout }).once("line", resolve);
      owner.once("exit", code => reject(new Error(`fixture exited (${code}) before its pod ran`)));
    });
    const { network } = JSON.parse(line) as { network: PodNetwork };
    expectRunning(dir, network);

    owner.kill("SIGKILL");
    const runcRoot = containerdPaths(dir).runcRoot;
    await eventually(
      "the watchdog's teardown",
      // The run folder goes last (the fixture asked for removeDir).
      async () => leftoversOf(dir, network, runcRoot).length === 0 && !existsSync(dir),
      60_000,
      250,
      () => `still there: ${leftoversOf(dir, network, runcRoot).join("; ")}`,
    );
    expect(claimedBy(network)).toBeUndefined();
  });
});
