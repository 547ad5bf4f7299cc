/** The host a unit test's node runs on: a 4-core, 4 GiB arm64 board. */
import type { HostFacts } from "../host-facts.js";

export const TEST_HOST: HostFacts = {
  hostname: "pi",
  ip: "10.0.0.5",
  cpus: 4,
  memoryBytes: 4 * 1024 ** 3,
  os: "linux",
  arch: "arm64",
  kernelVersion: "6.1",
  osImage: "Debian",
  machineID: "m",
  systemUUID: "s",
  bootID: "b",
};
