import { statfsSync } from "node:fs";
import type { Logger } from "pino";
import type { Cri } from "../cri/client.js";
import type { Container, Image } from "../cri/types.js";
import { type GcImage, type ImageFsUsage, imagesToRemove } from "./gc-policy.js";

/** kubelet's imageMinimumGCAge. */
const MIN_AGE_MS = 2 * 60_000;

export interface ImageGcDeps {
  cri: Cri;
  highPercent: number;
  lowPercent: number;
  /** The pod sandbox image: never removed (containerd 1.6 does not pin it itself). */
  sandboxImage: string;
  log: Logger;
  now?: () => number;
  /** Size and free space of the filesystem holding `path` (statfs; tests may fake it). */
  fsUsage?: (path: string) => ImageFsUsage;
}

function statfsUsage(path: string): ImageFsUsage {
  const s = statfsSync(path);
  const capacityBytes = s.blocks * s.bsize;
  return { capacityBytes, usedBytes: capacityBytes - s.bavail * s.bsize };
}

const isUsedBy = (image: Image, c: Container): boolean =>
  c.imageRef === image.id ||
  c.image.image === image.id ||
  image.repoTags.includes(c.image.image) ||
  image.repoDigests.includes(c.image.image);

/**
 * Image garbage collection through CRI (kubelet's image GC manager): remembers when it first
 * saw each image and when a container last used it, and on each `collect` removes what the
 * policy (gc-policy.ts) picks, on the image filesystem ImageFsInfo names.
 */
export class ImageGc {
  private readonly seen = new Map<string, { firstSeenMs: number; lastUsedMs: number }>();
  private readonly now: () => number;
  private readonly fsUsage: (path: string) => ImageFsUsage;

  constructor(private readonly deps: ImageGcDeps) {
    this.now = deps.now ?? Date.now;
    this.fsUsage = deps.fsUsage ?? statfsUsage;
  }

  /** Looks at the images and containers now; removes images when the fs is full. Ids removed. */
  async collect(): Promise<string[]> {
    const { cri, log } = this.deps;
    const [images, containers, filesystems] = await Promise.all([
      cri.listImages(),
      cri.listContainers(),
      cri.imageFsInfo(),
    ]);
    const records = this.detect(images, containers);
    const mountpoint = filesystems[0]?.fsId?.mountpoint;
    if (!mountpoint) return [];
    const fs = this.fsUsage(mountpoint);
    const limits = { highPercent: this.deps.highPercent, lowPercent: this.deps.lowPercent };
    const plan = imagesToRemove(records, fs, { ...limits, minAgeMs: MIN_AGE_MS }, this.now());
    if (plan.ids.length === 0) return [];
    log.info(
      { mountpoint, ...fs, bytesToFree: plan.bytesToFree },
      "image fs full: removing images",
    );
    const removed: string[] = [];
    for (const id of plan.ids) {
      try {
        await cri.removeImage(id);
        this.seen.delete(id);
        removed.push(id);
        log.info({ image: id }, "unused image removed");
      } catch (err) {
        log.warn({ image: id, err }, "could not remove an unused image");
      }
    }
    return removed;
  }

  private detect(images: readonly Image[], containers: readonly Container[]): GcImage[] {
    const now = this.now();
    const present = new Set(images.map(i => i.id));
    for (const id of this.seen.keys()) if (!present.has(id)) this.seen.delete(id);
    return images.map(image => {
      const inUse = containers.some(c => isUsedBy(image, c));
      const record = this.seen.get(image.id) ?? { firstSeenMs: now, lastUsedMs: now };
      if (inUse) record.lastUsedMs = now;
      this.seen.set(image.id, record);
      const pinned = image.pinned === true || image.repoTags.includes(this.deps.sandboxImage);
      return { id: image.id, sizeBytes: image.size, inUse, pinned, ...record };
    });
  }
}
