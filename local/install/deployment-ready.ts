/**
 * Waiting for Deployments to be Available, saying what their pods wait for (an image that is
 * not on the node, a crash loop) as it changes, and naming it when time runs out.
 */
import type { Kube, ObjectRef } from "../kube/kube.js";

export interface DeploymentState {
  metadata: { name: string; generation?: number };
  spec: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  status?: {
    observedGeneration?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string }[];
  };
}

interface PodState {
  metadata: { name: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string; message?: string } };
    }[];
  };
}

/** Available means: the controller saw this spec, and every replica is updated and available. */
export function deploymentAvailable(d: DeploymentState): boolean {
  const want = d.spec.replicas ?? 1;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want &&
    (s.conditions ?? []).some(c => c.type === "Available" && c.status === "True")
  );
}

/** What a pod waits for: no node to run on (the scheduler's reason), or its containers'. */
function podWaits(p: PodState): string[] {
  const unscheduled = (p.status?.conditions ?? []).find(
    c => c.type === "PodScheduled" && c.status === "False",
  );
  if (unscheduled) {
    return [
      `pod ${p.metadata.name}: ${unscheduled.reason ?? "not scheduled"} ${unscheduled.message ?? ""}`.trim(),
    ];
  }
  return (p.status?.containerStatuses ?? [])
    .filter(c => c.state?.waiting?.reason)
    .map(c => {
      const w = c.state!.waiting!;
      const restarts = c.restartCount ? `, ${c.restartCount} restarts` : "";
      return `pod ${p.metadata.name}: ${w.reason}${w.message ? ` ${w.message}` : ""}${restarts}`;
    });
}

/** One line per Deployment: `name 1/2 available (pod x: ErrImagePull …)`. */
export function describeDeployment(d: DeploymentState, pods: PodState[]): string {
  const waiting = pods.flatMap(podWaits);
  const counts = `${d.status?.availableReplicas ?? 0}/${d.spec.replicas ?? 1} available`;
  return `${d.metadata.name} ${counts}${waiting.length ? ` (${waiting.join("; ")})` : ""}`;
}

const deploymentPath = (ref: ObjectRef): string =>
  `/apis/apps/v1/namespaces/${ref.metadata?.namespace}/deployments/${ref.metadata?.name}`;

async function readState(kube: Kube, ref: ObjectRef): Promise<{ ok: boolean; line: string }> {
  const d = await kube.client.get<DeploymentState>(deploymentPath(ref));
  const selector = Object.entries(d.spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const pods = await kube.client.list<PodState>(
    `/api/v1/namespaces/${ref.metadata?.namespace}/pods`,
    selector,
  );
  return { ok: deploymentAvailable(d), line: describeDeployment(d, pods) };
}

export async function waitForDeployments(
  kube: Kube,
  refs: ObjectRef[],
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let said = "";
  for (;;) {
    const states = await Promise.all(refs.map(ref => readState(kube, ref)));
    const summary = states.map(s => s.line).join("; ");
    if (summary !== said) progress(`waiting for the module's Deployments: ${summary}`);
    said = summary;
    if (states.every(s => s.ok)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the module's Deployments are not Available after ${timeoutMs} ms: ${summary}`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}
