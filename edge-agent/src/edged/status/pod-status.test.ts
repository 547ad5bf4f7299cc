import { describe, expect, it } from "vitest";
import type { Pod } from "../pod.js";
import type { ContainerView, PodRuntime } from "../sync/runtime-view.js";
import { podStatus, type PodStatusInputs } from "./pod-status.js";

const pod = (spec: Partial<Pod["spec"]> = {}): Pod => ({
  metadata: { name: "p", namespace: "default", uid: "u1" },
  spec: { containers: [{ name: "main", image: "docker.io/x/y:1" }], ...spec },
});

const run = (over: Partial<ContainerView>): ContainerView => ({
  id: "c0",
  sandboxId: "s1",
  name: "main",
  kind: "regular",
  state: "CONTAINER_RUNNING",
  restartCount: 0,
  hash: "h",
  image: "docker.io/x/y:1",
  imageRef: "sha256:abc",
  createdAtMs: Date.UTC(2026, 0, 1),
  startedAtMs: Date.UTC(2026, 0, 1),
  finishedAtMs: 0,
  exitCode: 0,
  reason: "",
  message: "",
  gracePeriodSeconds: 30,
  ...over,
});

const rt = (containers: ContainerView[]): PodRuntime => ({
  uid: "u1",
  namespace: "default",
  name: "p",
  sandboxes: [{ id: "s1", ready: true, attempt: 0, createdAtMs: 0 }],
  containers,
});

const inputs = (over: Partial<PodStatusInputs> = {}): PodStatusInputs => ({
  waiting: new Map(),
  readiness: new Map(),
  hostIP: "192.0.2.1",
  podIP: "10.88.0.5",
  startTimeMs: Date.UTC(2026, 0, 1),
  ...over,
});

const conditions = (s: ReturnType<typeof podStatus>) =>
  Object.fromEntries(s.conditions.map(c => [c.type, c.status]));
const exitedRun = (exitCode: number, restartCount = 0) =>
  run({
    id: `c${restartCount}`,
    state: "CONTAINER_EXITED",
    exitCode,
    restartCount,
    finishedAtMs: Date.UTC(2026, 0, 1, 0, 1),
  });

describe("podStatus (kubelet's status computation)", () => {
  it("reports a running, ready pod with ids, IPs, start time and QoS class", () => {
    const s = podStatus(pod(), rt([run({})]), inputs());
    expect(s.phase).toBe("Running");
    expect(conditions(s)).toEqual({
      PodScheduled: "True",
      Initialized: "True",
      ContainersReady: "True",
      Ready: "True",
    });
    expect(s.containerStatuses[0]).toEqual({
      name: "main",
      state: { running: { startedAt: "2026-01-01T00:00:00Z" } },
      lastState: {},
      ready: true,
      started: true,
      restartCount: 0,
      image: "docker.io/x/y:1",
      imageID: "sha256:abc",
      containerID: "containerd://c0",
    });
    expect([s.podIP, s.hostIP, s.startTime, s.qosClass]).toEqual([
      "10.88.0.5",
      "192.0.2.1",
      "2026-01-01T00:00:00Z",
      "BestEffort",
    ]);
  });

  it.each<[string, Partial<Pod["spec"]>, ContainerView[], string]>([
    ["no container yet", {}, [], "Pending"],
    ["a restarting container under Always", {}, [exitedRun(1)], "Running"],
    ["all done under Never", { restartPolicy: "Never" }, [exitedRun(0)], "Succeeded"],
    ["a failure under Never", { restartPolicy: "Never" }, [exitedRun(2)], "Failed"],
    [
      "a failure under OnFailure (it will restart)",
      { restartPolicy: "OnFailure" },
      [exitedRun(2)],
      "Running",
    ],
  ])("phase with %s", (_what, spec, containers, phase) => {
    expect(podStatus(pod(spec), rt(containers), inputs()).phase).toBe(phase);
  });

  it("shows CrashLoopBackOff waiting with the last run as lastState", () => {
    const waiting = new Map([["main", { reason: "CrashLoopBackOff", message: "back-off 10s" }]]);
    const s = podStatus(pod(), rt([exitedRun(1, 1), exitedRun(1, 0)]), inputs({ waiting }));
    const c = s.containerStatuses[0]!;
    expect(c.state).toEqual({ waiting: { reason: "CrashLoopBackOff", message: "back-off 10s" } });
    expect(c.lastState).toMatchObject({
      terminated: { exitCode: 1, reason: "Error", containerID: "containerd://c1" },
    });
    expect(c.restartCount).toBe(1);
    expect(s.phase).toBe("Running");
    expect(conditions(s).Ready).toBe("False");
  });

  it("is unready while a readiness probe fails, without a restart", () => {
    const s = podStatus(pod(), rt([run({})]), inputs({ readiness: new Map([["c0", false]]) }));
    expect(s.phase).toBe("Running");
    expect(s.containerStatuses[0]!.ready).toBe(false);
    expect(conditions(s)).toMatchObject({ ContainersReady: "False", Ready: "False" });
  });

  it("is Pending and not Initialized while an init container runs", () => {
    const spec = { initContainers: [{ name: "setup", image: "docker.io/x/y:1" }] };
    const s = podStatus(pod(spec), rt([run({ name: "setup", kind: "init" })]), inputs());
    expect(s.phase).toBe("Pending");
    expect(conditions(s).Initialized).toBe("False");
    expect(s.containerStatuses[0]!.state).toEqual({ waiting: { reason: "ContainerCreating" } });
  });

  it("reports ErrImagePull on a container that never ran", () => {
    const waiting = new Map([["main", { reason: "ErrImagePull", message: "not found" }]]);
    const s = podStatus(pod(), undefined, inputs({ waiting, podIP: "" }));
    expect(s.phase).toBe("Pending");
    expect(s.containerStatuses[0]!.state).toEqual({
      waiting: { reason: "ErrImagePull", message: "not found" },
    });
    expect(s.podIP).toBeUndefined();
  });
});
