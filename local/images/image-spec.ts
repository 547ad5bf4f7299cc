/**
 * An image to build without Docker or a registry: a fully qualified name, a tag, the files of
 * its single layer (written by `rootfs` into an empty folder) and its runtime config. Issue 11's
 * mapper images are specs like the base ones in base-images.ts.
 */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  /** uid[:gid] */
  user?: string;
  labels?: Record<string, string>;
  exposedPorts?: string[];
}

export interface ImageSpec {
  /** Fully qualified repository, e.g. docker.io/kubeedge-ts/pause (CRI needs the registry). */
  name: string;
  tag: string;
  /**
   * What the image is made of, beyond this spec: versions or digests of the files `rootfs`
   * copies. A change to any of them (or to the spec) builds the image again.
   */
  inputs: string[];
  rootfs(dir: string): Promise<void>;
  config: ImageConfig;
}

export const imageRef = (spec: Pick<ImageSpec, "name" | "tag">): string =>
  `${spec.name}:${spec.tag}`;

const repeated = (flag: string, values: string[] | undefined): string[] =>
  values ? [`--clear=config.${flag}`, ...values.map(v => `--config.${flag}=${v}`)] : [];

const pairs = (flag: string, entries: Record<string, string> | undefined): string[] =>
  Object.entries(entries ?? {}).map(([k, v]) => `--config.${flag}=${k}=${v}`);

const single = (flag: string, value: string | undefined): string[] =>
  value ? [`--config.${flag}=${value}`] : [];

/** `umoci config` flags for a config (umoci applies each as a change to the image's config). */
export function umociConfigArgs(config: ImageConfig): string[] {
  return [
    ...["--os", "linux", "--architecture", "amd64"],
    ...repeated("entrypoint", config.entrypoint),
    ...repeated("cmd", config.cmd),
    ...pairs("env", config.env),
    ...single("workingdir", config.workingDir),
    ...single("user", config.user),
    ...pairs("label", config.labels),
    ...(config.exposedPorts ?? []).map(p => `--config.exposedports=${p}`),
  ];
}
