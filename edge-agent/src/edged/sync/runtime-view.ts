import type { Container, ContainerState, ContainerStatus, PodSandbox } from "../cri/types.js";
import { Annotation, Label } from "../spec/labels.js";
import type { ContainerKind } from "../spec/container-config.js";

/** One CRI container of a pod, with what its labels and annotations say about it. */
export interface ContainerView {
  id: string;
  sandboxId: string;
  name: string;
  kind: ContainerKind;
  state: ContainerState;
  restartCount: number;
  hash: string;
  image: string;
  imageRef: string;
  /** Milliseconds since the epoch; 0 = not yet. */
  createdAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
  reason: string;
  message: string;
  gracePeriodSeconds: number;
}

export interface SandboxView {
  id: string;
  ready: boolean;
  attempt: number;
  createdAtMs: number;
}

/** What the runtime has for one pod: sandboxes and containers, newest first. */
export interface PodRuntime {
  uid: string;
  namespace: string;
  name: string;
  sandboxes: SandboxView[];
  containers: ContainerView[];
}

const ms = (ns: number): number => Math.floor(ns / 1e6);

export function containerView(c: Container, status?: ContainerStatus): ContainerView {
  const a = c.annotations;
  return {
    id: c.id,
    sandboxId: c.podSandboxId,
    name: c.metadata.name,
    kind: a[Annotation.ContainerKind] === "init" ? "init" : "regular",
    state: status?.state ?? c.state,
    restartCount: Number(a[Annotation.RestartCount] ?? c.metadata.attempt) || 0,
    hash: a[Annotation.ContainerHash] ?? "",
    image: c.image.image,
    imageRef: c.imageRef,
    createdAtMs: ms(c.createdAt),
    startedAtMs: ms(status?.startedAt ?? 0),
    finishedAtMs: ms(status?.finishedAt ?? 0),
    exitCode: status?.exitCode ?? 0,
    reason: status?.reason ?? "",
    message: status?.message ?? "",
    gracePeriodSeconds: Number(a[Annotation.GracePeriod] ?? 30),
  };
}

/** Groups a relist by pod uid (the `io.kubernetes.pod.uid` label), newest first. */
export function groupByPod(
  sandboxes: readonly PodSandbox[],
  containers: readonly ContainerView[],
): Map<string, PodRuntime> {
  const pods = new Map<string, PodRuntime>();
  const podOf = (s: PodSandbox): PodRuntime => {
    const uid = s.labels[Label.PodUid] ?? s.metadata.uid;
    let p = pods.get(uid);
    if (!p) {
      p = {
        uid,
        namespace: s.metadata.namespace,
        name: s.metadata.name,
        sandboxes: [],
        containers: [],
      };
      pods.set(uid, p);
    }
    return p;
  };
  const bySandbox = new Map<string, PodRuntime>();
  for (const s of sandboxes) {
    const p = podOf(s);
    p.sandboxes.push({
      id: s.id,
      ready: s.state === "SANDBOX_READY",
      attempt: s.metadata.attempt,
      createdAtMs: ms(s.createdAt),
    });
    bySandbox.set(s.id, p);
  }
  for (const c of containers) bySandbox.get(c.sandboxId)?.containers.push(c);
  for (const p of pods.values()) {
    p.sandboxes.sort((a, b) => b.createdAtMs - a.createdAtMs);
    p.containers.sort((a, b) => b.restartCount - a.restartCount || b.createdAtMs - a.createdAtMs);
  }
  return pods;
}
