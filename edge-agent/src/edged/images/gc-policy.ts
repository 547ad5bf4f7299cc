/**
 * kubelet's image garbage collection policy, as a pure function: when the image filesystem is
 * at or above the high threshold, free enough to bring it down to the low one by removing
 * images no container uses, least recently used first, never a pinned one (the sandbox image)
 * nor one first seen less than the minimum age ago (it may be about to be used).
 */

export interface GcImage {
  id: string;
  sizeBytes: number;
  /** When this agent first saw the image (ms). */
  firstSeenMs: number;
  /** When a container last used it (ms); firstSeenMs if never. */
  lastUsedMs: number;
  inUse: boolean;
  pinned: boolean;
}

export interface ImageFsUsage {
  usedBytes: number;
  capacityBytes: number;
}

export interface GcThresholds {
  highPercent: number;
  lowPercent: number;
  /** Images younger than this are kept (kubelet's imageMinimumGCAge, 2 min). */
  minAgeMs: number;
}

/** Images to remove, in order, and the bytes that will free (0 and [] = nothing to do). */
export function imagesToRemove(
  images: readonly GcImage[],
  fs: ImageFsUsage,
  limits: GcThresholds,
  nowMs: number,
): { ids: string[]; bytesToFree: number } {
  if (limits.highPercent >= 100 || fs.capacityBytes <= 0) return { ids: [], bytesToFree: 0 };
  const usagePercent = (fs.usedBytes * 100) / fs.capacityBytes;
  if (usagePercent < limits.highPercent) return { ids: [], bytesToFree: 0 };
  const bytesToFree = fs.usedBytes - (limits.lowPercent * fs.capacityBytes) / 100;
  const candidates = images
    .filter(i => !i.inUse && !i.pinned && nowMs - i.firstSeenMs >= limits.minAgeMs)
    .sort((a, b) => a.lastUsedMs - b.lastUsedMs || a.firstSeenMs - b.firstSeenMs);
  const ids: string[] = [];
  let freed = 0;
  for (const image of candidates) {
    if (freed >= bytesToFree) break;
    ids.push(image.id);
    freed += image.sizeBytes;
  }
  return { ids, bytesToFree };
}
