/**
 * The files a private containerd runs from: its config.toml and the CNI network of its pods.
 * Pure functions of the run's folder and network, so two runs never share a socket, a state
 * folder, a bridge or a subnet with each other or with a system containerd.
 */
import { join } from "node:path";

/** The pause image every pod sandbox runs (containerd's `sandbox_image`, not the client's). */
export const PAUSE_IMAGE = "docker.io/kubeedge-ts/pause:3.10";

/** One run's pod network: a /24 of its own behind a bridge of its own. */
export interface PodNetwork {
  /** CNI network name, also the comment CNI writes on the run's iptables rules. */
  name: string;
  bridge: string;
  /** e.g. 10.201.7.0/24 */
  subnet: string;
}

export function containerdPaths(dir: string) {
  return {
    dir,
    config: join(dir, "config.toml"),
    root: join(dir, "root"),
    state: join(dir, "state"),
    socket: join(dir, "containerd.sock"),
    runcRoot: join(dir, "runc"),
    cniConfDir: join(dir, "cni"),
    ipamDir: join(dir, "cni-ipam"),
    log: join(dir, "containerd.log"),
    pid: join(dir, "containerd.pid"),
    run: join(dir, "run.json"),
  };
}
export type ContainerdPaths = ReturnType<typeof containerdPaths>;

const toml = (value: string): string => JSON.stringify(value);

// Plugins that would fail to load here (no such filesystem) or write outside the run's folder.
const DISABLED_PLUGINS = [
  "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
];

/**
 * config.toml (version 2) for containerd 1.6. The CRI settings are the ones this kind of
 * machine needs: no OOM score below containerd's own, no AppArmor, cgroupfs (cgroup v1), and the
 * netns mounts and runc state under the run's folder so a teardown finds all of them.
 */
export function containerdConfig(
  paths: ContainerdPaths,
  pauseImage = PAUSE_IMAGE,
  /** host:port of containerd's Prometheus endpoint (/v1/metrics); none when absent. */
  metricsAddress?: string,
): string {
  const cri = `plugins."io.containerd.grpc.v1.cri"`;
  const metrics = metricsAddress ? `\n[metrics]\n  address = ${toml(metricsAddress)}\n` : "";
  return `version = 2
root = ${toml(paths.root)}
state = ${toml(paths.state)}
disabled_plugins = [${DISABLED_PLUGINS.map(toml).join(", ")}]

[grpc]
  address = ${toml(paths.socket)}
${metrics}
[${cri}]
  sandbox_image = ${toml(pauseImage)}
  restrict_oom_score_adj = true
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  enable_selinux = false

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = ${toml(paths.runcRoot)}

[${cri}.cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = ${toml(paths.cniConfDir)}
  max_conf_num = 1
`;
}

/**
 * The CNI conflist: a bridge that is the pods' gateway, host-local IPs, portmap (it acts only for
 * pods with hostPorts). The bridge does not masquerade per pod (`ipMasq`): one rule for the
 * whole subnet does (pod-masquerade.ts), so a pod without hostPorts starts without iptables.
 */
export function cniConflist(network: PodNetwork, ipamDir: string): string {
  const gateway = network.subnet.replace(/\.0\/24$/, ".1");
  return `${JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: network.name,
      plugins: [
        {
          type: "bridge",
          bridge: network.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            // Address leases live in the run's folder, not in the host-wide /var/lib/cni.
            dataDir: ipamDir,
            ranges: [[{ subnet: network.subnet, gateway }]],
            routes: [{ dst: "0.0.0.0/0" }],
          },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}
