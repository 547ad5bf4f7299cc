/**
 * Image GC against a real containerd: with thresholds at 0 % (the image fs is always "full",
 * measured by statfs on the mountpoint ImageFsInfo names) it removes the busybox image once no
 * container uses it and it is old enough, and never the sandbox image.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContainerd, type RunningContainerd } from "../../../../local/containerd/index.js";
import { runSleeperPod } from "../../../../local/containerd/cri-pod.fixture.js";
import {
  BUSYBOX_IMAGE,
  baseImages,
  buildImage,
  imageRef,
  importImages,
  pauseImage,
} from "../../../../local/images/index.js";
import { type Cri, connectCri } from "../cri/client.js";
import { ImageGc } from "./image-gc.js";

let containerd: RunningContainerd;
let cri: Cri;
const dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-image-gc-"));

beforeAll(async () => {
  const built = [];
  for (const spec of baseImages()) built.push(await buildImage(spec));
  containerd = await startContainerd({ dir, ownerPid: process.pid, removeDir: true });
  await importImages(containerd.address, built);
  cri = await connectCri(containerd.endpoint);
}, 180_000);

afterAll(async () => {
  cri?.close();
  await containerd?.stop();
});

describe("image GC on a real containerd", () => {
  it("removes an image only once no container uses it, never the sandbox image", async () => {
    const sandboxImage = imageRef(pauseImage());
    let offsetMs = 0;
    const gc = new ImageGc({
      cri,
      highPercent: 0,
      lowPercent: 0,
      sandboxImage,
      log: pino({ level: "silent" }),
      now: () => Date.now() + offsetMs,
    });
    const pod = await runSleeperPod(cri, dir);
    expect(await gc.collect()).toEqual([]);
    offsetMs = 3 * 60_000;
    expect(await gc.collect()).toEqual([]);
    expect(await cri.imageStatus(BUSYBOX_IMAGE)).toBeDefined();

    await cri.stopPodSandbox(pod.sandboxId);
    await cri.removePodSandbox(pod.sandboxId);
    const busybox = (await cri.imageStatus(BUSYBOX_IMAGE))!;
    expect(await gc.collect()).toEqual([busybox.id]);
    expect(await cri.imageStatus(BUSYBOX_IMAGE)).toBeUndefined();
    expect(await cri.imageStatus(sandboxImage)).toBeDefined();
  });
});
