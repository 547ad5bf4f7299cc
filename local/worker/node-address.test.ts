import type { NetworkInterfaceInfo } from "node:os";
import { defaultRouteDevice, pickNodeAddress } from "./node-address.js";

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: "255.255.255.0",
  family: "IPv4",
  mac: "00:00:00:00:00:00",
  internal,
  cidr: `${address}/24`,
});

describe("the worker's node address", () => {
  it("finds the default route's device", () => {
    expect(defaultRouteDevice("default via 192.0.2.1 dev eth0 \n")).toBe("eth0");
    expect(defaultRouteDevice("default via 10.1.1.1 dev ens3 proto dhcp metric 100\n")).toBe(
      "ens3",
    );
    expect(defaultRouteDevice("")).toBeUndefined();
  });

  it("takes the default route's interface, never loopback or a pod bridge", () => {
    const interfaces = {
      lo: [v4("127.0.0.1", true)],
      kts7: [v4("10.213.7.1")],
      eth0: [v4("192.0.2.2")],
      eth1: [v4("198.51.100.4")],
    };
    expect(pickNodeAddress(interfaces, "eth1")).toBe("198.51.100.4");
    expect(pickNodeAddress(interfaces, undefined)).toBe("192.0.2.2");
    expect(pickNodeAddress(interfaces, "wlan9")).toBe("192.0.2.2");
    expect(pickNodeAddress({ lo: [v4("127.0.0.1", true)] }, "lo")).toBeUndefined();
  });
});
