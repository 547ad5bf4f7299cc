import { describe, expect, it } from "vitest";
import { type GcImage, imagesToRemove } from "./gc-policy.js";

const MIN = 60_000;
const limits = { highPercent: 85, lowPercent: 80, minAgeMs: 2 * MIN };
const NOW = 100 * MIN;

const image = (
  id: string,
  sizeBytes: number,
  lastUsedMin: number,
  extra: Partial<GcImage> = {},
) => ({
  id,
  sizeBytes,
  firstSeenMs: 0,
  lastUsedMs: lastUsedMin * MIN,
  inUse: false,
  pinned: false,
  ...extra,
});

describe("imagesToRemove", () => {
  it("does nothing below the high threshold", () => {
    const fs = { usedBytes: 84, capacityBytes: 100 };
    expect(imagesToRemove([image("a", 50, 1)], fs, limits, NOW)).toEqual({
      ids: [],
      bytesToFree: 0,
    });
  });

  it("frees down to the low threshold, least recently used first", () => {
    const fs = { usedBytes: 90, capacityBytes: 100 };
    const images = [image("new", 4, 50), image("old", 4, 10), image("mid", 4, 30)];
    expect(imagesToRemove(images, fs, limits, NOW)).toEqual({
      ids: ["old", "mid", "new"],
      bytesToFree: 10,
    });
    const bigOld = [image("new", 4, 50), image("old", 20, 10)];
    expect(imagesToRemove(bigOld, fs, limits, NOW).ids).toEqual(["old"]);
  });

  it("keeps images in use, pinned ones and those first seen under the minimum age", () => {
    const fs = { usedBytes: 100, capacityBytes: 100 };
    const images = [
      image("used", 10, 1, { inUse: true }),
      image("pause", 10, 1, { pinned: true }),
      image("fresh", 10, 1, { firstSeenMs: NOW - MIN }),
      image("spare", 10, 2),
    ];
    expect(imagesToRemove(images, fs, limits, NOW).ids).toEqual(["spare"]);
  });

  it("never collects at a high threshold of 100 or an unknown capacity", () => {
    const full = { usedBytes: 100, capacityBytes: 100 };
    expect(
      imagesToRemove([image("a", 1, 1)], full, { ...limits, highPercent: 100 }, NOW).ids,
    ).toEqual([]);
    expect(
      imagesToRemove([image("a", 1, 1)], { usedBytes: 5, capacityBytes: 0 }, limits, NOW).ids,
    ).toEqual([]);
  });
});
