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
    let now = 0;
    const paths: string[] = [];
    const gc = new ImageGc({
      cri,
      highPercent: 85,
      lowPercent: 80,
      sandboxImage: PAUSE,
      log: pino({ level: "silent" }),
      now: () => now,
      fsUsage: path => {
        paths.push(path);
        return { usedBytes: 95, capacityBytes: 100 };
      },
    });
    expect(await gc.collect()).toEqual([]);
    now = 3 * MIN;
    expect(await gc.collect()).toEqual(["sha256:old"]);
    expect(removed).toEqual(["sha256:old"]);
    expect(paths).toEqual(["/var/lib/images", "/var/lib/images"]);
  });

  it("removes nothing while the image fs is below the high threshold", async () => {
    const { cri, removed } = fakeRuntime([image("sha256:old", "docker.io/x/old:1")], []);
    let now = 0;
    const gc = new ImageGc({
      cri,
      highPercent: 85,
      lowPercent: 80,
      sandboxImage: PAUSE,
      log: pino({ level: "silent" }),
      now: () => now,
      fsUsage: () => ({ usedBytes: 50, capacityBytes: 100 }),
    });
    await gc.collect();
    now = 10 * MIN;
    expect(await gc.collect()).toEqual([]);
    expect(removed).toEqual([]);
  });
});
