/**
 * The images a worker node has before its first pod, as kind preloads its nodes: nothing can be
 * pulled (no registry is reachable), so every image a worker pod runs is built locally
 * (local/images, cached) and imported into the worker's containerd at start. Pods name them
 * with `imagePullPolicy: IfNotPresent` or `Never`.
 */
import { baseImages } from "../images/base-images.js";
import { buildImage } from "../images/build-image.js";
import type { ImageSpec } from "../images/image-spec.js";
import { importImages } from "../images/import-image.js";

/** What the worker preloads: the pause image (sandboxes) and busybox. Add images here. */
export async function workerImages(): Promise<ImageSpec[]> {
  return Promise.resolve([...baseImages()]);
}

export async function preloadImages(
  containerdSocket: string,
  specs: ImageSpec[],
  progress: (line: string) => void,
): Promise<string[]> {
  const built = [];
  for (const spec of specs) built.push(await buildImage(spec, progress));
  await importImages(containerdSocket, built);
  return built.map(i => i.ref);
}
