import { apiserverCommand } from "./commands.js";
import { layout } from "./layout.js";

const ports = { etcd: 2379, etcdPeer: 2380, apiserver: 6443, scheduler: 10259 };

describe("the apiserver command line", () => {
  it("stays on loopback without a worker, with no endpoint registered", () => {
    const args = apiserverCommand("/bin-dir", layout("/tmp/c"), ports).args;
    expect(args).toContain("--bind-address=127.0.0.1");
    expect(args).toContain("--advertise-address=127.0.0.1");
    expect(args).toContain("--endpoint-reconciler-type=none");
    expect(args.some(a => a.startsWith("--enable-aggregator-routing"))).toBe(false);
  });

  it("is reachable from a worker's pods at the machine address, registered as the endpoint", () => {
    const args = apiserverCommand("/bin-dir", layout("/tmp/c"), ports, {
      address: "192.0.2.2",
    }).args;
    expect(args).toContain("--bind-address=0.0.0.0");
    expect(args).toContain("--advertise-address=192.0.2.2");
    expect(args).toContain("--endpoint-reconciler-type=lease");
    expect(args).toContain("--enable-aggregator-routing=true");
    expect(args.filter(a => a.startsWith("--bind-address"))).toHaveLength(1);
  });
});
