/**
 * `kubeedge-ts images build [--containerd-address A] [--pepr-controller]`: builds the images edge
 * pods run (pause, busybox, the Modbus and Bluetooth mappers) — and with --pepr-controller the
 * Pepr controller image a cloud worker runs — without Docker or a registry, cached under
 * ~/.cache/kubeedge-ts/images, and imports them into a containerd's k8s.io namespace when given
 * its socket.
 */
import type { Command } from "commander";
import {
  baseImages,
  buildImage,
  importImages,
  mapperImages,
  peprControllerImage,
} from "../local/images/index.js";

const say = (line: string): void => console.log(`[images] ${line}`);

interface BuildOptions {
  containerdAddress?: string;
  peprController?: boolean;
}

async function build(opts: BuildOptions): Promise<void> {
  const built = [];
  const specs = [...baseImages(), ...(await mapperImages())];
  if (opts.peprController) specs.push(await peprControllerImage());
  for (const spec of specs) {
    const image = await buildImage(spec, say);
    say(`${image.ref}: ${image.tarball}${image.cached ? " (cached)" : ""}`);
    built.push(image);
  }
  if (!opts.containerdAddress) return;
  const address = opts.containerdAddress.replace(/^unix:\/\//, "");
  await importImages(address, built);
  say(`imported ${built.map(i => i.ref).join(", ")} into ${address} (namespace k8s.io)`);
}

export function registerImagesCommands(program: Command): void {
  const images = program
    .command("images")
    .description("container images for edge pods, built locally with umoci (no registry)");
  images
    .command("build")
    .description("build the pause, busybox and mapper images (cached) and optionally import them")
    .option(
      "--containerd-address <socket>",
      "import into this containerd (socket path or unix:// endpoint), namespace k8s.io",
    )
    .option(
      "--pepr-controller",
      "also build the Pepr controller image `pepr build`'s Deployments name (cloud worker nodes)",
    )
    .action(build);
}
