import { describe, expect, it } from "vitest";
import { cacheKey, nameIndex } from "./build-image.js";
import { type ImageSpec, imageRef, umociConfigArgs } from "./image-spec.js";

const spec = (over: Partial<ImageSpec> = {}): ImageSpec => ({
  name: "docker.io/kubeedge-ts/x",
  tag: "1.0",
  inputs: ["bin sha256:aa"],
  rootfs: async () => undefined,
  config: { cmd: ["sh"] },
  ...over,
});

describe("umociConfigArgs", () => {
  it("turns an image config into umoci config flags", () => {
    expect(
      umociConfigArgs({
        entrypoint: ["/pause"],
        cmd: ["-v", "2"],
        env: { PATH: "/bin" },
        workingDir: "/app",
        user: "65535:65535",
        labels: { a: "b" },
        exposedPorts: ["8080/tcp"],
      }),
    ).toEqual([
      "--os",
      "linux",
      "--architecture",
      "amd64",
      "--clear=config.entrypoint",
      "--config.entrypoint=/pause",
      "--clear=config.cmd",
      "--config.cmd=-v",
      "--config.cmd=2",
      "--config.env=PATH=/bin",
      "--config.workingdir=/app",
      "--config.user=65535:65535",
      "--config.label=a=b",
      "--config.exposedports=8080/tcp",
    ]);
  });
});

describe("image cache", () => {
  it("keys a build by its spec and inputs", () => {
    expect(cacheKey(spec())).toBe(cacheKey(spec()));
    expect(cacheKey(spec({ inputs: ["bin sha256:bb"] }))).not.toBe(cacheKey(spec()));
    expect(cacheKey(spec({ tag: "1.1" }))).not.toBe(cacheKey(spec()));
    expect(cacheKey(spec({ config: { cmd: ["ash"] } }))).not.toBe(cacheKey(spec()));
  });

  it("names the image in the layout's index so ctr imports it under its reference", () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { digest: "sha256:1", annotations: { "org.opencontainers.image.ref.name": "1.0" } },
      ],
    });
    expect(JSON.parse(nameIndex(index, imageRef(spec())))).toEqual({
      schemaVersion: 2,
      manifests: [
        {
          digest: "sha256:1",
          annotations: {
            "org.opencontainers.image.ref.name": "1.0",
            "io.containerd.image.name": "docker.io/kubeedge-ts/x:1.0",
          },
        },
      ],
    });
  });
});
