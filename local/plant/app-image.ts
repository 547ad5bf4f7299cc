/**
 * The water utility's edge application image (samples/water-utility/), built like the mapper
 * images: the host's Node runtime and the esbuild bundle of the app, no Docker, no registry.
 */
import { fileURLToPath } from "node:url";
import { nodeAppImage, type ImageSpec } from "../images/index.js";

export const WATER_APP_IMAGE_NAME = "docker.io/kubeedge-ts/water-utility";
export const WATER_APP_IMAGE_TAG = "0.1.0";
export const WATER_APP_IMAGE = `${WATER_APP_IMAGE_NAME}:${WATER_APP_IMAGE_TAG}`;

export function waterAppImage(): Promise<ImageSpec> {
  return nodeAppImage({
    name: WATER_APP_IMAGE_NAME,
    tag: WATER_APP_IMAGE_TAG,
    entry: fileURLToPath(new URL("../../samples/water-utility/src/main.ts", import.meta.url)),
    bundleFile: "water-utility.mjs",
    user: "node",
    labels: { "org.opencontainers.image.title": "kubeedge-ts water utility edge application" },
  });
}
