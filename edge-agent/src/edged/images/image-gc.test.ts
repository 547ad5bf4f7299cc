import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Cri } from "../cri/client.js";
import type { Container, Image } from "../cri/types.js";
import { ImageGc } from "./image-gc.js";

const MIN = 60_000;
const PAUSE = "docker.io/kubeedge-ts/pause:3.10";

/** A runtime with images and containers in memory: only the calls image GC makes. */
function fakeRuntime(images: Image[], containers: Partial<Container>[]) {
  const removed: string[] = [];
  const cri = {
    listImages: async () => images.filter(i => !removed.includes(i.id)),
    listContainers: async () => containers as Container[],
    imageFsInfo: async () => [{ timestamp: 0, fsId: { mountpoint: "/var/lib/images" } }],
    removeImage: async (id: string) => void removed.push(id),
  } as unknown as Cri;
  return { cri, removed };
}

/** Image GC at 85/80 % over `cri`, with a clock the test moves and a fixed fs usage. */
function gcAt(cri: Cri, usedPercent: number, paths: string[] = []) {
  const clock = { now: 0 };
  const gc = new ImageGc({
    cri,
    highPercent: 85,
    lowPercent: 80,
    sandboxImage: PAUSE,
    log: pino({ level: "silent" }),
    now: () => clock.now,
    fsUsage: path => {
      paths.push(path);
      return { usedBytes: usedPercent, capacityBytes: 100 };
    },
  });
  return { gc, clock };
}

const image = (id: string, tag: string, size = 10): Image => ({
  id,
  size,
  repoTags: [tag],
  repoDigests: [],
});

describe("ImageGc", () => {
  it("removes unused images once they are old enough, keeping used and sandbox images", async () => {
    const images = [
      image("sha256:pause", PAUSE),
      image("sha256:busy", "docker.io/x/busybox:1"),
      image("sha256:app", "docker.io/x/app:1"),
      image("sha256:old", "docker.io/x/old:1"),
    ];
    const containers = [
      { imageRef: "sha256:busy", image: { image: "sha256:busy" } },
      { imageRef: "", image: { image: "docker.io/x/app:1" } },
    ];
    const { cri, removed } = fakeRuntime(images, containers);
    const paths: string[] = [];
    const { gc, clock } = gcAt(cri, 95, paths);
    expect(await gc.collect()).toEqual([]);
    clock.now = 3 * MIN;
    expect(await gc.collect()).toEqual(["sha256:old"]);
    expect(removed).toEqual(["sha256:old"]);
    expect(paths).toEqual(["/var/lib/images", "/var/lib/images"]);
  });

  it("removes nothing while the image fs is below the high threshold", async () => {
    const { cri, removed } = fakeRuntime([image("sha256:old", "docker.io/x/old:1")], []);
    const { gc, clock } = gcAt(cri, 50);
    await gc.collect();
    clock.now = 10 * MIN;
    expect(await gc.collect()).toEqual([]);
    expect(removed).toEqual([]);
  });
});
