import { describe, expect, it } from "vitest";
import { nodeImages } from "./node-images.js";

const image = (id: string, size: number, repoTags: string[], repoDigests: string[] = []) => ({
  id,
  size,
  repoTags,
  repoDigests,
});

describe("nodeImages", () => {
  it("lists digests then tags, largest image first, leaving out nameless ones", () => {
    const list = nodeImages([
      image("sha256:a", 10, ["docker.io/a:1"]),
      image("sha256:b", 30, ["docker.io/b:1", "docker.io/b:latest"], ["docker.io/b@sha256:bb"]),
      image("sha256:c", 99, []),
    ]);
    expect(list).toEqual([
      { names: ["docker.io/b@sha256:bb", "docker.io/b:1", "docker.io/b:latest"], sizeBytes: 30 },
      { names: ["docker.io/a:1"], sizeBytes: 10 },
    ]);
  });

  it("keeps the 50 largest, as kubelet's nodeStatusMaxImages", () => {
    const many = Array.from({ length: 60 }, (_, i) => image(`sha256:${i}`, i, [`x/i:${i}`]));
    const list = nodeImages(many);
    expect(list).toHaveLength(50);
    expect(list.at(-1)!.sizeBytes).toBe(10);
  });
});
