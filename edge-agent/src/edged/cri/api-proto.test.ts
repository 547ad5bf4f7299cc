import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { CRI_API_PROTO } from "./api-proto.js";

const root = protobuf.parse(CRI_API_PROTO, { keepCase: true }).root;
const field = (message: string, name: string): number | undefined =>
  root.lookupType(`runtime.v1.${message}`).fields[name]?.id;

describe("CRI runtime.v1 subset", () => {
  it("is the api.proto beside it (regenerate both with scripts/cri-proto-subset.mjs)", () => {
    expect(CRI_API_PROTO).toBe(readFileSync(new URL("./api.proto", import.meta.url), "utf8"));
  });

  it("keeps every RPC edged calls", () => {
    const methods = (service: string): string[] =>
      Object.keys(root.lookupService(`runtime.v1.${service}`).methods);
    expect(methods("RuntimeService")).toEqual([
      "Version",
      "RunPodSandbox",
      "StopPodSandbox",
      "RemovePodSandbox",
      "PodSandboxStatus",
      "ListPodSandbox",
      "CreateContainer",
      "StartContainer",
      "StopContainer",
      "RemoveContainer",
      "ListContainers",
      "ContainerStatus",
      "ExecSync",
    ]);
    expect(methods("ImageService")).toEqual([
      "ListImages",
      "ImageStatus",
      "PullImage",
      "RemoveImage",
      "ImageFsInfo",
    ]);
  });

  it.each([
    ["PodSandboxConfig", "log_directory", 3],
    ["PodSandboxConfig", "linux", 8],
    ["ContainerConfig", "log_path", 11],
    ["ContainerConfig", "linux", 15],
    ["ContainerStatus", "finished_at", 6],
    ["LinuxContainerResources", "memory_limit_in_bytes", 4],
    ["ExecSyncRequest", "timeout", 3],
  ])("%s.%s has upstream field number %i", (message, name, id) => {
    expect(field(message, name)).toBe(id);
  });

  it("leaves out Windows-only fields", () => {
    expect(field("PodSandboxConfig", "windows")).toBeUndefined();
  });
});
