/**
 * The run's private containerd serves CRI as the edge agent uses it (through the agent's own
 * CRI client): the base images are there under their fully qualified names, a pod sandbox gets
 * an address on the run's own bridge, a busybox container's output lands in the log file the
 * client chose, and its traffic off the host leaves through the run's one masquerade rule for
 * the pod subnet (CNI writes no NAT rule per pod).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cri, connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { busyboxContainer, sandboxConfig } from "../../local/containerd/cri-pod.fixture.js";
import {
  iptablesMentions,
  PAUSE_IMAGE,
  podMasqueradePackets,
  type PodNetwork,
} from "../../local/containerd/index.js";
import { BUSYBOX_IMAGE } from "../../local/images/index.js";
import { eventually, testContainerd } from "../harness.js";

const containerd = testContainerd();
const network = (
  JSON.parse(readFileSync(join(containerd.dir, "run.json"), "utf8")) as { network: PodNetwork }
).network;
let cri: Cri;

beforeAll(async () => {
  cri = await connectCri(containerd.endpoint);
});
afterAll(() => cri?.close());

describe("the e2e run's containerd", () => {
  it("speaks CRI runtime.v1 and has the pause and busybox images", async () => {
    expect(await cri.version()).toMatchObject({
      runtimeName: "containerd",
      runtimeApiVersion: "v1",
    });
    const tags = (await cri.listImages()).flatMap(i => i.repoTags);
    expect(tags).toEqual(expect.arrayContaining([PAUSE_IMAGE, BUSYBOX_IMAGE]));
  });

  it("runs a busybox container in a pod sandbox and keeps its output in the log file", async () => {
    const uid = `uid-${process.pid}-${Date.now()}`;
    const logDirectory = join(containerd.dir, "pods", uid);
    const sandbox = sandboxConfig("hello", uid, logDirectory);
    const sandboxId = await cri.runPodSandbox(sandbox);
    const status = await cri.podSandboxStatus(sandboxId);
    expect(status.state).toBe("SANDBOX_READY");
    const prefix = network.subnet.replace(/0\/24$/, "");
    expect(status.network?.ip.startsWith(prefix)).toBe(true);
    expect(iptablesMentions(network.name, sandboxId)).toBe(false);
    const masqueraded = podMasqueradePackets(network);

    // 198.51.100.1 (TEST-NET-2) is off the host: the SYN takes the default route, through NAT.
    // (nc, not wget: this static busybox's wget crashes in its resolver.)
    const script =
      "echo \"hello from $(hostname) at $(ip -4 -o addr show eth0 | awk '{print $4}')\"; " +
      "nc -w 2 198.51.100.1 80 </dev/null >/dev/null 2>&1 || true";
    const greeter = busyboxContainer("greeter", ["sh", "-c", script]);
    const containerId = await cri.createContainer(sandboxId, greeter, sandbox);
    await cri.startContainer(containerId);
    const exited = await eventually(
      "the greeter container to exit",
      async () => {
        const s = await cri.containerStatus(containerId);
        return s.state === "CONTAINER_EXITED" && s;
      },
      30_000,
    );
    expect(exited.exitCode).toBe(0);
    // CRI log format: <RFC3339Nano> <stream> <P|F> <line>
    const lines = readFileSync(join(logDirectory, "greeter/0.log"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    const ip = prefix.replaceAll(".", "\\.");
    expect(lines[0]).toMatch(new RegExp(`^\\S+ stdout F hello from hello at ${ip}\\d+/24$`));
    expect(podMasqueradePackets(network)).toBeGreaterThan(masqueraded);

    await cri.removeContainer(containerId);
    await cri.stopPodSandbox(sandboxId);
    await cri.removePodSandbox(sandboxId);
    expect((await cri.listPodSandbox()).map(s => s.id)).not.toContain(sandboxId);
  });
});
