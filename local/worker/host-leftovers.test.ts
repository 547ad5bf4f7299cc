import { kubeChainsOf } from "./host-leftovers.js";

// Trimmed `iptables -t nat -S` of a host with a kube-proxy and a CNI bridge.
const NAT = `-P PREROUTING ACCEPT
-P OUTPUT ACCEPT
-N CNI-HOSTPORT-DNAT
-N KUBE-MARK-MASQ
-N KUBE-SERVICES
-N KUBE-SVC-NPX46M4PTMTKRN6Y
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.0.0.1/32 -p tcp -j KUBE-SVC-NPX46M4PTMTKRN6Y
-A KUBE-SVC-NPX46M4PTMTKRN6Y -j KUBE-MARK-MASQ
`;

describe("KUBE-* chains on the host", () => {
  it("lists the KUBE chains and only the outside rules that jump into them", () => {
    const { jumps, chains } = kubeChainsOf(NAT);
    expect(chains).toEqual(["KUBE-MARK-MASQ", "KUBE-SERVICES", "KUBE-SVC-NPX46M4PTMTKRN6Y"]);
    expect(jumps).toEqual([
      'PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ]);
  });

  it("finds nothing on a host without them", () => {
    expect(kubeChainsOf("-P INPUT ACCEPT\n-N CNI-FORWARD\n-A FORWARD -j CNI-FORWARD\n")).toEqual({
      jumps: [],
      chains: [],
    });
  });
});
