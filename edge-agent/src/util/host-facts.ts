import { readFileSync } from "node:fs";
import { arch, cpus, hostname, networkInterfaces, platform, release, totalmem } from "node:os";

/** Facts about this machine reported on the Node. */
export interface HostFacts {
  hostname: string;
  ip: string;
  cpus: number;
  memoryBytes: number;
  os: string;
  arch: string;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
}

const GO_ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386" };

export function gatherHostFacts(nodeIP = ""): HostFacts {
  return {
    hostname: hostname(),
    ip: nodeIP || firstIPv4() || "127.0.0.1",
    cpus: cpus().length,
    memoryBytes: totalmem(),
    os: platform(),
    arch: GO_ARCH[arch()] ?? arch(),
    kernelVersion: release(),
    osImage: osImage(),
    machineID: readTrim("/etc/machine-id"),
    systemUUID: readTrim("/sys/class/dmi/id/product_uuid"),
    bootID: readTrim("/proc/sys/kernel/random/boot_id"),
  };
}

function firstIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return undefined;
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readTrim("/etc/os-release"));
  return m?.[1] ?? platform();
}

function readTrim(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}
