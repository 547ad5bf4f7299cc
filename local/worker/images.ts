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
import { peprControllerImage } from "../images/pepr-controller-image.js";

/**
 * What the worker preloads: the pause image (sandboxes), busybox, and the Pepr controller image
 * `pepr build`'s Deployments name (`kubeedge-ts init` runs the module on the worker).
 */
export async function workerImages(): Promise<ImageSpec[]> {
  return [...baseImages(), await peprControllerImage()];
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
