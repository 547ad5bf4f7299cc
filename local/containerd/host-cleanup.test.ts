import { describe, expect, it } from "vitest";
import { cniRulesOf, mountsUnder } from "./host-cleanup.js";

describe("mountsUnder", () => {
  const mountinfo = [
    "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
    "101 22 0:50 / /tmp/run/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs rw - overlay overlay rw",
    "102 22 0:4 net:[4026532] /tmp/run/state/io.containerd.grpc.v1.cri/netns/cni-1 rw - nsfs nsfs rw",
    "103 22 0:51 / /tmp/run/state/io.containerd.grpc.v1.cri/sandboxes/abc/shm rw - tmpfs shm rw",
    "104 22 0:52 / /tmp/run-other/state/x rw - tmpfs tmpfs rw",
    "105 22 0:53 / /tmp/run/with\\040space rw - tmpfs tmpfs rw",
    "",
  ].join("\n");

  it("lists only mounts inside the folder, deepest first, with escapes decoded", () => {
    expect(mountsUnder(mountinfo, "/tmp/run")).toEqual([
      "/tmp/run/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs",
      "/tmp/run/state/io.containerd.grpc.v1.cri/sandboxes/abc/shm",
      "/tmp/run/state/io.containerd.grpc.v1.cri/netns/cni-1",
      "/tmp/run/with space",
    ]);
  });
});

describe("cniRulesOf", () => {
  const rules = [
    "-P POSTROUTING ACCEPT",
    '-A POSTROUTING -s 10.213.4.2/32 -m comment --comment "name: \\"kubeedge-ts-4\\" id: \\"aaa\\"" -j CNI-0f1e',
    '-A POSTROUTING -s 10.213.41.2/32 -m comment --comment "name: \\"kubeedge-ts-41\\" id: \\"bbb\\"" -j CNI-9e8d',
    '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"kubeedge-ts-4\\" id: \\"aaa\\"" -j CNI-DN-77aa',
    '-A CNI-0f1e -d 10.213.4.0/24 -m comment --comment "name: \\"kubeedge-ts-4\\" id: \\"aaa\\"" -j ACCEPT',
    "-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE",
  ].join("\n");

  it("finds the network's rules and per-container chains, not another network's or shared ones", () => {
    const found = cniRulesOf(rules, "kubeedge-ts-4");
    expect(found.rules).toHaveLength(3);
    expect(found.rules.every(r => !r.includes("kubeedge-ts-41"))).toBe(true);
    expect(found.chains.sort()).toEqual(["CNI-0f1e", "CNI-DN-77aa"]);
  });
});
