import type { Image } from "../cri/types.js";

/** kubelet's nodeStatusMaxImages: the Node lists at most this many images, largest first. */
const MAX_IMAGES = 50;

/** One entry of Node `status.images`. */
export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/** What the Node reports of its container runtime (edged tells edgehub; see node.ts). */
export interface NodeRuntimeFacts {
  /** `containerd://1.6.20`: the runtime's name and version from CRI Version. */
  containerRuntimeVersion: string;
  images: NodeImage[];
}

/** Node `status.images` from CRI ListImages: digests then tags, largest first, at most 50. */
export function nodeImages(images: readonly Image[]): NodeImage[] {
  return images
    .map(i => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size }))
    .filter(i => i.names.length > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, MAX_IMAGES);
}
