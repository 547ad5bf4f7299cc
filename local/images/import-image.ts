/** Imports built image tarballs into a containerd's k8s.io namespace, where CRI looks. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { BuiltImage } from "./build-image.js";

const execFileP = promisify(execFile);

export async function importImage(address: string, image: BuiltImage): Promise<void> {
  try {
    await execFileP(
      "ctr",
      ["--address", address, "-n", "k8s.io", "images", "import", image.tarball],
      {
        timeout: 120_000,
      },
    );
  } catch (err) {
    throw new Error(`importing ${image.ref} into ${address} failed`, { cause: err });
  }
}

export async function importImages(address: string, images: BuiltImage[]): Promise<void> {
  for (const image of images) await importImage(address, image);
}
