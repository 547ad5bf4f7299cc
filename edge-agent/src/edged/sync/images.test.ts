import { describe, expect, it } from "vitest";
import type { Cri } from "../cri/client.js";
import type { ContainerSpec } from "../pod.js";
import { Backoff } from "./backoff.js";
import { ImagePuller, pullPolicy } from "./images.js";

/** A runtime with no images whose pulls fail (nothing can be pulled here), counting pulls. */
function emptyRuntime(): { cri: Cri; pulls: () => number } {
  let pulls = 0;
  const cri = {
    imageStatus: async () => undefined,
    pullImage: async (image: string) => {
      pulls++;
      throw new Error(`${image}: not found`);
    },
  } as unknown as Cri;
  return { cri, pulls: () => pulls };
}

const container = (over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: "c",
  image: "docker.io/x/absent:1",
  ...over,
});

describe("ImagePuller", () => {
  it.each<[string, ContainerSpec["imagePullPolicy"], string]>([
    ["docker.io/x/y:1", undefined, "IfNotPresent"],
    ["docker.io/x/y", undefined, "Always"],
    ["docker.io/x/y:latest", undefined, "Always"],
    ["localhost:5000/y", undefined, "Always"],
    ["docker.io/x/y:1", "Never", "Never"],
  ])("pull policy of %s (%s) is %s", (image, policy, expected) => {
    expect(pullPolicy(container({ image, ...(policy ? { imagePullPolicy: policy } : {}) }))).toBe(
      expected,
    );
  });

  it("reports ErrImagePull, then ImagePullBackOff without pulling until the back-off ends", async () => {
    let now = 0;
    const { cri, pulls } = emptyRuntime();
    const puller = new ImagePuller(cri, new Backoff(), () => now);
    expect((await puller.ensure("u", container()))?.reason).toBe("ErrImagePull");
    now = 5_000;
    expect((await puller.ensure("u", container()))?.reason).toBe("ImagePullBackOff");
    expect(pulls()).toBe(1);
    now = 10_001;
    expect((await puller.ensure("u", container()))?.reason).toBe("ErrImagePull");
    now = 25_000;
    expect((await puller.ensure("u", container()))?.reason).toBe("ImagePullBackOff");
    expect(pulls()).toBe(2);
  });

  it("never pulls with policy Never", async () => {
    const { cri, pulls } = emptyRuntime();
    const waiting = await new ImagePuller(cri, new Backoff(), () => 0).ensure(
      "u",
      container({ imagePullPolicy: "Never" }),
    );
    expect(waiting?.reason).toBe("ErrImageNeverPull");
    expect(pulls()).toBe(0);
  });
});
