import type { Logger } from "pino";
import type { Cri } from "../cri/client.js";
import type { PodSandboxConfig } from "../cri/types.js";
import type { Pod } from "../pod.js";
import { containerConfig } from "../spec/container-config.js";
import { resolveEnv } from "../spec/env.js";
import type { ObjectSource } from "../spec/objects.js";
import { sandboxConfig } from "../spec/sandbox-config.js";
import { containerMounts, type VolumePaths } from "../volumes/pod-volumes.js";
import type { Backoff } from "./backoff.js";
import type { ImagePuller } from "./images.js";
import type { Action, Plan } from "./plan.js";
import type { PodRuntime } from "./runtime-view.js";
import { timed, type PodStartTiming } from "./start-timing.js";

export interface ExecutorDeps {
  cri: Cri;
  nodeName: string;
  logRoot: string;
  hostIP: string;
  objects: ObjectSource;
  images: ImagePuller;
  restarts: Backoff;
  log: Logger;
  timing?: PodStartTiming;
}

/** What the executor learns about a pod while acting on it. */
export interface PodRun {
  pod: Pod;
  runtime: PodRuntime | undefined;
  volumes: VolumePaths;
  /** The ready sandbox's id and IP, once known. */
  sandboxId?: string;
  podIP: string;
  /** Waiting reasons found while starting containers (image, config errors). */
  waiting: Plan["waiting"];
}

/**
 * Carries out a plan for one pod, in order; a failing container does not stop the others.
 * Returns false when the sandbox could not be created (nothing else can run then).
 */
export async function executePlan(plan: Plan, run: PodRun, deps: ExecutorDeps): Promise<boolean> {
  for (const action of plan.actions) {
    try {
      await execute(action, run, deps);
    } catch (error) {
      deps.log.warn(
        {
          pod: `${run.pod.metadata.namespace}/${run.pod.metadata.name}`,
          action: action.type,
          error: (error as Error).message,
        },
        "pod action failed",
      );
      if (action.type === "createSandbox") return false;
      if (action.type === "startContainer") {
        const message = (error as Error).message;
        run.waiting.set(action.container.name, { reason: "RunContainerError", message });
      }
    }
  }
  return true;
}

async function execute(action: Action, run: PodRun, deps: ExecutorDeps): Promise<void> {
  const { cri } = deps;
  switch (action.type) {
    case "createSandbox": {
      const config = sandboxConfig(run.pod, {
        nodeName: deps.nodeName,
        logRoot: deps.logRoot,
        attempt: action.attempt,
      });
      await timed(deps.timing, run.pod.metadata.uid, "sandbox", async () => {
        const id = (run.sandboxId = await cri.runPodSandbox(config));
        run.podIP = run.pod.spec.hostNetwork
          ? deps.hostIP
          : ((await cri.podSandboxStatus(id)).network?.ip ?? "");
      });
      deps.log.info(
        {
          pod: `${run.pod.metadata.namespace}/${run.pod.metadata.name}`,
          sandbox: run.sandboxId,
          podIP: run.podIP,
        },
        "sandbox started",
      );
      return;
    }
    case "removeSandbox":
      await cri.stopPodSandbox(action.id);
      await cri.removePodSandbox(action.id);
      return;
    case "killContainer":
      deps.log.info(
        {
          pod: `${run.pod.metadata.namespace}/${run.pod.metadata.name}`,
          container: action.name,
          reason: action.reason,
        },
        "stopping container",
      );
      await cri.stopContainer(action.id, action.gracePeriodSeconds);
      return;
    case "removeContainer":
      await cri.removeContainer(action.id);
      return;
    case "startContainer":
      return startContainer(action, run, deps);
  }
}

async function startContainer(
  action: Extract<Action, { type: "startContainer" }>,
  run: PodRun,
  deps: ExecutorDeps,
): Promise<void> {
  const { pod } = run;
  const c = action.container;
  const { sandboxId } = run;
  if (!sandboxId) return;
  const { uid } = pod.metadata;
  const imageWait = await timed(deps.timing, uid, "image", () => deps.images.ensure(uid, c));
  if (imageWait) return void run.waiting.set(c.name, imageWait);
  const env = resolveEnv(pod, c, deps.objects, { hostIP: deps.hostIP, podIP: run.podIP });
  if (env.error !== undefined) {
    return void run.waiting.set(c.name, {
      reason: "CreateContainerConfigError",
      message: env.error,
    });
  }
  const { mounts, devices } = containerMounts(c, run.volumes);
  const config = containerConfig(pod, c, {
    nodeName: deps.nodeName,
    kind: action.kind,
    restartCount: action.restartCount,
    env: env.env,
    mounts,
    devices,
  });
  const sandbox: PodSandboxConfig = sandboxConfig(pod, {
    nodeName: deps.nodeName,
    logRoot: deps.logRoot,
    attempt: 0,
  });
  if (action.backoffKey !== undefined) deps.restarts.retried(action.backoffKey);
  const id = await timed(deps.timing, uid, "create_container", () =>
    deps.cri.createContainer(sandboxId, config, sandbox),
  );
  await timed(deps.timing, uid, "start_container", () => deps.cri.startContainer(id));
  deps.log.info(
    {
      pod: `${pod.metadata.namespace}/${pod.metadata.name}`,
      container: c.name,
      id,
      restartCount: action.restartCount,
    },
    "container started",
  );
}
