/**
 * The mapper images, named as samples/*-mapper-deployment.yaml reference them. Each is the
 * mapper bundled into one file plus its native addon and node (node-app-image.ts); the
 * mappers' Dockerfiles describe the same images for Docker users (a unit test compares them).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ImageSpec } from "./image-spec.js";
import { type NodeAppImageOptions, nodeAppImage } from "./node-app-image.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const VERSION = "0.1.0";

export const MODBUS_MAPPER_IMAGE = `docker.io/kubeedge-ts/mapper-modbus:${VERSION}`;
export const BLUETOOTH_MAPPER_IMAGE = `docker.io/kubeedge-ts/mapper-bluetooth:${VERSION}`;

const repoAndTag = (ref: string): { name: string; tag: string } => {
  const at = ref.lastIndexOf(":");
  return { name: ref.slice(0, at), tag: ref.slice(at + 1) };
};

/** Settings of the mapper images, exported for the Dockerfile comparison test. */
export const modbusMapperOptions = (): NodeAppImageOptions => ({
  ...repoAndTag(MODBUS_MAPPER_IMAGE),
  entry: join(REPO_ROOT, "mappers/modbus/src/cli.ts"),
  bundleFile: "kubeedge-mapper-modbus.mjs",
  // serialport loads its prebuilt addon (linux-x64 glibc) by a computed path.
  nativePackages: ["@serialport/bindings-cpp"],
  skipDependencies: ["node-addon-api"],
  env: {
    NODE_ENV: "production",
    MAPPER_PROFILE: "/opt/kubeedge/deviceProfile.json",
    MAPPER_HTTP_PORT: "9101",
  },
  user: "node",
  exposedPorts: ["9101/tcp"],
});

export const bluetoothMapperOptions = (): NodeAppImageOptions => ({
  ...repoAndTag(BLUETOOTH_MAPPER_IMAGE),
  entry: join(REPO_ROOT, "mappers/bluetooth/src/cli.ts"),
  bundleFile: "kubeedge-mapper-bluetooth.mjs",
  // noble is required at run time (createRequire) and loads the HCI socket addon; the usb
  // fallback of the HCI socket is only for hosts without kernel Bluetooth sockets.
  nativePackages: ["@abandonware/noble", "@abandonware/bluetooth-hci-socket"],
  skipDependencies: [
    "node-gyp",
    "@mapbox/node-pre-gyp",
    "nan",
    "node-addon-api",
    "napi-thread-safe-callback",
  ],
  env: {
    NODE_ENV: "production",
    MAPPER_PROFILE: "/opt/kubeedge/deviceProfile.json",
    MAPPER_HTTP_PORT: "8081",
  },
  exposedPorts: ["8081/tcp"],
});

export async function mapperImages(): Promise<ImageSpec[]> {
  return [await nodeAppImage(modbusMapperOptions()), await nodeAppImage(bluetoothMapperOptions())];
}
