/**
 * The machine's own address for the worker: kubelet refuses a loopback --node-ip, and pods
 * reach the apiserver at it through the `kubernetes` Service, so it must be an address of this
 * host that a pod's packets are routed to: the one of the interface carrying the default route.
 */
import { execFileSync } from "node:child_process";
import { networkInterfaces, type NetworkInterfaceInfo } from "node:os";

type Interfaces = Record<string, NetworkInterfaceInfo[] | undefined>;

/** The device of the IPv4 default route in `ip -4 route show default` output, if any. */
export function defaultRouteDevice(routes: string): string | undefined {
  return /^default\b.*?\bdev\s+(\S+)/m.exec(routes)?.[1];
}

/**
 * The IPv4 address of `preferred` (the default route's device), else the first non-internal
 * IPv4 address of any interface other than our pod bridges; undefined if there is none.
 */
export function pickNodeAddress(interfaces: Interfaces, preferred?: string): string | undefined {
  const v4 = (name: string): string | undefined =>
    interfaces[name]?.find(a => a.family === "IPv4" && !a.internal)?.address;
  if (preferred !== undefined) {
    const address = v4(preferred);
    if (address !== undefined) return address;
  }
  const names = Object.keys(interfaces).filter(n => !/^(kts\d+|cni|veth)/.test(n));
  for (const name of names) {
    const address = v4(name);
    if (address !== undefined) return address;
  }
  return undefined;
}

export function nodeAddress(): string {
  let routes = "";
  try {
    routes = execFileSync("ip", ["-4", "route", "show", "default"], { encoding: "utf8" });
  } catch {
    // no iproute2: fall back to the interfaces alone
  }
  const address = pickNodeAddress(networkInterfaces(), defaultRouteDevice(routes));
  if (address === undefined) {
    throw new Error(
      "the worker node needs a non-loopback IPv4 address on this machine (kubelet refuses " +
        "127.0.0.1, and pods reach the apiserver at it); none was found (ip -4 addr)",
    );
  }
  return address;
}
