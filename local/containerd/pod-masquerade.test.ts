import { describe, expect, it } from "vitest";
import { cniRulesOf } from "./host-cleanup.js";
import { podMasqueradeRule } from "./pod-masquerade.js";
import { podNetwork } from "./pod-network.js";

describe("podMasqueradeRule", () => {
  const network = podNetwork(42);

  it("masquerades what the pod subnet sends off the subnet", () => {
    expect(podMasqueradeRule(network)).toEqual([
      "-s",
      "10.213.42.0/24",
      "!",
      "-d",
      "10.213.42.0/24",
      "-m",
      "comment",
      "--comment",
      'name: "kubeedge-ts-42" id: "pod-subnet"',
      "-j",
      "MASQUERADE",
    ]);
  });

  it("is one of the network's rules the teardown removes, and only of that network", () => {
    // How `iptables -t nat -S` prints the rule once added.
    const listed = [
      "-P POSTROUTING ACCEPT",
      '-A POSTROUTING -s 10.213.42.0/24 ! -d 10.213.42.0/24 -m comment --comment "name: \\"kubeedge-ts-42\\" id: \\"pod-subnet\\"" -j MASQUERADE',
      '-A POSTROUTING -s 10.213.43.0/24 ! -d 10.213.43.0/24 -m comment --comment "name: \\"kubeedge-ts-43\\" id: \\"pod-subnet\\"" -j MASQUERADE',
    ].join("\n");
    const { rules, chains } = cniRulesOf(listed, network.name);
    expect(rules).toEqual([listed.split("\n")[1]]);
    expect(chains).toEqual([]);
  });
});
