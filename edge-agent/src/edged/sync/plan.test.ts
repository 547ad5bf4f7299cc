import { describe, expect, it } from "vitest";
import type { ContainerSpec, Pod } from "../pod.js";
import { containerHash } from "../spec/container-config.js";
import { Backoff } from "./backoff.js";
import { planPod, type Action } from "./plan.js";
import type { ContainerView, PodRuntime } from "./runtime-view.js";

const main: ContainerSpec = { name: "main", image: "docker.io/x/busybox:1" };
const init: ContainerSpec = { name: "setup", image: "docker.io/x/busybox:1" };
const pod = (spec: Partial<Pod["spec"]> = {}): Pod => ({
  metadata: { name: "p", namespace: "default", uid: "u1" },
  spec: { containers: [main], ...spec },
});

const view = (c: ContainerSpec, over: Partial<ContainerView> = {}): ContainerView => ({
  id: `${c.name}-${over.restartCount ?? 0}`,
  sandboxId: "s1",
  name: c.name,
  kind: "regular",
  state: "CONTAINER_RUNNING",
  restartCount: 0,
  hash: containerHash(c),
  image: c.image,
  imageRef: "sha256:1",
  createdAtMs: 1_000,
  startedAtMs: 1_000,
  finishedAtMs: 0,
  exitCode: 0,
  reason: "",
  message: "",
  gracePeriodSeconds: 30,
  ...over,
});

const runtime = (containers: ContainerView[], ready = true): PodRuntime => ({
  uid: "u1",
  namespace: "default",
  name: "p",
  sandboxes: [{ id: "s1", ready, attempt: 0, createdAtMs: 1_000 }],
  containers,
});

const types = (actions: Action[]): string[] =>
  actions.map(a => ("container" in a ? `${a.type}:${a.container.name}#${a.restartCount}` : a.type));

const plan = (p: Pod, rt: PodRuntime | undefined, nowMs = 100_000, backoff = new Backoff()) =>
  planPod(p, rt, { backoff, nowMs, unhealthy: new Set() });

const exited = (exitCode: number, restartCount = 0): ContainerView =>
  view(main, { state: "CONTAINER_EXITED", exitCode, restartCount, finishedAtMs: 99_000 });

describe("planPod (kubelet's computePodActions)", () => {
  it.each<[string, Pod, PodRuntime | undefined, string[]]>([
    [
      "a new pod gets a sandbox and its container",
      pod(),
      undefined,
      ["createSandbox", "startContainer:main#0"],
    ],
    ["a running pod needs nothing", pod(), runtime([view(main)]), []],
    [
      "init containers run first, one at a time",
      pod({ initContainers: [init] }),
      undefined,
      ["createSandbox", "startContainer:setup#0"],
    ],
    [
      "a running init container holds the others back",
      pod({ initContainers: [init] }),
      runtime([view(init, { kind: "init" })]),
      [],
    ],
    [
      "after a successful init container the containers start",
      pod({ initContainers: [init] }),
      runtime([view(init, { kind: "init", state: "CONTAINER_EXITED", exitCode: 0 })]),
      ["startContainer:main#0"],
    ],
    [
      "Always restarts a completed container",
      pod(),
      runtime([exited(0)]),
      ["startContainer:main#1"],
    ],
    [
      "OnFailure leaves a completed container",
      pod({ restartPolicy: "OnFailure" }),
      runtime([exited(0)]),
      [],
    ],
    [
      "OnFailure restarts a failed container",
      pod({ restartPolicy: "OnFailure" }),
      runtime([exited(1)]),
      ["startContainer:main#1"],
    ],
    ["Never leaves a failed container", pod({ restartPolicy: "Never" }), runtime([exited(1)]), []],
    [
      "a dead sandbox is replaced and the pod starts again",
      pod(),
      runtime([view(main)], false),
      ["removeSandbox", "createSandbox", "startContainer:main#1"],
    ],
    [
      "a changed spec restarts the container",
      pod({ containers: [{ ...main, image: "docker.io/x/busybox:2" }] }),
      runtime([view(main)]),
      ["killContainer", "startContainer:main#1"],
    ],
    [
      "older exited runs beyond the previous one are removed",
      pod(),
      runtime([view(main, { restartCount: 2 }), exited(1, 1), exited(1, 0)]),
      ["removeContainer"],
    ],
  ])("%s", (_what, p, rt, expected) => {
    expect(types(plan(p, rt).actions)).toEqual(expected);
  });

  it("waits out the back-off with CrashLoopBackOff, then restarts", () => {
    const backoff = new Backoff();
    backoff.retried("u1/main/" + containerHash(main));
    const waiting = plan(pod(), runtime([exited(1, 1)]), 100_000, backoff);
    expect(waiting.actions).toEqual([]);
    expect(waiting.waiting.get("main")?.reason).toBe("CrashLoopBackOff");
    expect(waiting.waiting.get("main")?.message).toMatch(
      /^back-off 10s restarting failed container=main/,
    );
    const later = plan(pod(), runtime([exited(1, 1)]), 109_001, backoff);
    expect(types(later.actions)).toEqual(["startContainer:main#2"]);
  });

  it("kills a container whose liveness probe failed", () => {
    const running = view(main);
    const p = planPod(pod(), runtime([running]), {
      backoff: new Backoff(),
      nowMs: 0,
      unhealthy: new Set([running.id]),
    });
    expect(p.actions).toEqual([
      {
        type: "killContainer",
        id: running.id,
        name: "main",
        reason: "liveness probe failed",
        gracePeriodSeconds: 30,
      },
    ]);
  });

  it("does not bring back a finished pod's sandbox", () => {
    const rt = runtime([exited(0)], false);
    expect(types(plan(pod({ restartPolicy: "OnFailure" }), rt).actions)).toEqual(["removeSandbox"]);
  });
});
