import { describe, expect, it } from "vitest";
import type { Pod } from "../pod.js";
import { admitPod } from "./admission.js";

const pod = (cpu?: string, memory?: string): Pod => ({
  metadata: { name: "p", namespace: "default", uid: "u" },
  spec: {
    containers: [
      {
        name: "c",
        image: "i",
        resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
      },
    ],
  },
});
const node = { milliCpu: 2000, memoryBytes: 1024 * 2 ** 20, pods: 3 };

describe("admitPod (kubelet's resource admission)", () => {
  it.each<[string, Pod, Pod[], string | undefined]>([
    ["fits", pod("500m", "128Mi"), [pod("1", "512Mi")], undefined],
    ["a pod without requests always fits the resources", pod(), [pod("2", "1Gi")], undefined],
    ["too much cpu with what runs", pod("1500m"), [pod("1")], "OutOfcpu"],
    ["too much memory", pod(undefined, "2Gi"), [], "OutOfmemory"],
    ["more pods than the node takes", pod(), [pod(), pod(), pod()], "OutOfpods"],
  ])("%s", (_what, p, admitted, reason) => {
    expect(admitPod(p, admitted, node)?.reason).toBe(reason);
  });

  it("says what was asked, used and available", () => {
    expect(admitPod(pod("1500m"), [pod("1")], node)?.message).toBe(
      "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000",
    );
  });
});
