import { describe, expect, it } from "vitest";
import { cniConflist, containerdConfig, containerdPaths, PAUSE_IMAGE } from "./config.js";
import { podNetwork } from "./pod-network.js";

describe("containerdConfig", () => {
  const paths = containerdPaths("/tmp/run-7");
  const toml = containerdConfig(paths);

  it("keeps root, state, socket and runc state under the run's folder", () => {
    expect(toml).toContain('root = "/tmp/run-7/root"');
    expect(toml).toContain('state = "/tmp/run-7/state"');
    expect(toml).toMatch(/\[grpc\]\n\s+address = "\/tmp\/run-7\/containerd.sock"/);
    expect(toml).toContain('Root = "/tmp/run-7/runc"');
    expect(toml).toContain('conf_dir = "/tmp/run-7/cni"');
  });

  it.each([
    "version = 2",
    "restrict_oom_score_adj = true",
    "disable_apparmor = true",
    "netns_mounts_under_state_dir = true",
    "SystemdCgroup = false",
    'snapshotter = "overlayfs"',
    'runtime_type = "io.containerd.runc.v2"',
    'bin_dir = "/usr/lib/cni"',
    `sandbox_image = "${PAUSE_IMAGE}"`,
  ])("sets %s", line => expect(toml).toContain(line));

  it("serves containerd's Prometheus metrics only when given an address", () => {
    expect(toml).not.toContain("[metrics]");
    const withMetrics = containerdConfig(paths, PAUSE_IMAGE, "127.0.0.1:41234");
    expect(withMetrics).toMatch(/\[metrics\]\n\s+address = "127\.0\.0\.1:41234"/);
  });
});

describe("cniConflist", () => {
  it("describes a bridge on the run's subnet with leases in the run's folder, no per-pod NAT", () => {
    const conf = JSON.parse(cniConflist(podNetwork(42), "/tmp/run-7/cni-ipam")) as {
      name: string;
      plugins: Record<string, unknown>[];
    };
    expect(conf.name).toBe("kubeedge-ts-42");
    expect(conf.plugins.map(p => p.type)).toEqual(["bridge", "portmap"]);
    expect(conf.plugins[0]).toMatchObject({
      bridge: "kts42",
      isGateway: true,
      // one rule for the subnet instead (pod-masquerade.ts): no iptables call per pod start
      ipMasq: false,
      ipam: {
        type: "host-local",
        dataDir: "/tmp/run-7/cni-ipam",
        ranges: [[{ subnet: "10.213.42.0/24", gateway: "10.213.42.1" }]],
      },
    });
  });
});
