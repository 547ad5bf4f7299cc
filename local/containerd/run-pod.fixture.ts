/**
 * Test fixture (containerd.integration.test.ts): starts a containerd owned by this process,
 * runs a pod sandbox with a long-running busybox container through CRI, prints what it
 * started as one JSON line, and waits to be killed, so the test can prove the watchdog.
 */
import { connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { baseImages, buildImage, importImages } from "../images/index.js";
import { startContainerd } from "./containerd.js";
import { runSleeperPod } from "./cri-pod.fixture.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: run-pod.fixture.ts <dir>");
const built = [];
for (const spec of baseImages()) built.push(await buildImage(spec));
const containerd = await startContainerd({ dir, ownerPid: process.pid, removeDir: true });
await importImages(containerd.address, built);
const cri = await connectCri(containerd.endpoint);
const pod = await runSleeperPod(cri, dir);
process.stdout.write(
  `${JSON.stringify({ pid: containerd.pid, network: containerd.network, ...pod })}\n`,
);
setInterval(() => undefined, 60_000);
