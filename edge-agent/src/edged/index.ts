import type { AgentModule, ModuleContext } from "../beehive/module.js";
import { CONNECTION_RESOURCE, Group, ModuleName, Operation } from "../beehive/names.js";
import type { AgentConfig } from "../config/types.js";
import type { KubeObject } from "../kube/client.js";
import type { Counter } from "../observability/metrics.js";
import { OutboxKind } from "../store/outbox.js";
import { PodRuntime } from "./runtime.js";
import { PodStartTiming } from "./sync/start-timing.js";

interface RunningPod {
  uid: string;
  generation: number;
}

/**
 * KubeEdge's edged: the node's pods. The bookkeeping here keeps the set of pods bound to this
 * node, keyed by `namespace/name` with uid and generation: restored pods are adopted, only an
 * insert with an unknown uid is a new pod — the counters make a reconnect that re-creates
 * running pods visible. With a container runtime configured (modules.edged.remoteRuntimeEndpoint)
 * the pod runtime (runtime.ts) runs them through CRI, level-triggered from the local store;
 * every pod or object message only makes it sync sooner.
 */
export class EdgedModule implements AgentModule {
  readonly name = ModuleName.Edged;
  readonly group = Group.Edged;
  private readonly pods = new Map<string, RunningPod>();
  private starts?: Counter;
  private adopted?: Counter;
  private stops?: Counter;
  private runtime?: PodRuntime;
  private timing?: PodStartTiming;

  enabled(config: AgentConfig): boolean {
    return config.modules.edged.enable;
  }

  get running(): ReadonlyMap<string, RunningPod> {
    return this.pods;
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.starts = ctx.metrics.counter("kubeedge_edge_pod_starts_total", "Pods started (new uid)");
    this.adopted = ctx.metrics.counter(
      "kubeedge_edge_pods_adopted_total",
      "Pods restored from the local store at start",
    );
    this.stops = ctx.metrics.counter("kubeedge_edge_pod_stops_total", "Pods stopped");
    ctx.metrics.gauge(
      "kubeedge_edge_pods_running",
      "Pods whose containers run (phase Running)",
      () => this.runtime?.manager?.runningCount() ?? 0,
    );
    const endpoint = ctx.config.modules.edged.remoteRuntimeEndpoint;
    if (endpoint !== "") {
      const phases = ctx.metrics.histogram(
        "kubeedge_edge_pod_start_phase_seconds",
        "Time a new pod spends in each step from reaching edged to its Running status being " +
          "queued (phase=total); the sandbox phase includes containerd's CNI plugins",
      );
      this.timing = new PodStartTiming(phases);
      const runtime = (this.runtime = new PodRuntime(ctx, this.timing));
      runtime
        .run(endpoint)
        .catch(err => ctx.log.error({ err, endpoint }, "container runtime failed"));
    }
    void this.serve(ctx);
  }

  async stop(): Promise<void> {
    await this.runtime?.manager?.idle();
    this.runtime?.close();
  }

  private async serve(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.bus.messages(this.name)) {
      if (msg.router.resource === CONNECTION_RESOURCE) continue;
      this.runtime?.kick();
      const pod = msg.content as KubeObject;
      if (pod?.kind !== "Pod" && !msg.router.resource.includes("/pod/")) continue;
      this.apply(ctx, msg.router.operation, pod);
    }
  }

  private apply(ctx: ModuleContext, operation: string, pod: KubeObject): void {
    const key = `${pod.metadata.namespace ?? ""}/${pod.metadata.name}`;
    const running: RunningPod = {
      uid: pod.metadata.uid ?? "",
      generation: pod.metadata.generation ?? 0,
    };
    if (operation !== Operation.Delete && pod.metadata.deletionTimestamp !== undefined) {
      this.terminate(ctx, key, pod);
    } else if (operation === Operation.Restore) {
      this.pods.set(key, running);
      this.adopted?.inc();
    } else if (operation === Operation.Insert || operation === Operation.Update) {
      this.upsert(ctx, key, running);
    } else if (operation === Operation.Delete && this.pods.get(key)?.uid === running.uid) {
      this.pods.delete(key);
      this.stops?.inc();
      ctx.log.info({ pod: key, uid: running.uid }, "pod stopped");
    }
  }

  /** Same uid: the running pod (maybe with a new spec). New uid: a new pod replaces the old. */
  private upsert(ctx: ModuleContext, key: string, next: RunningPod): void {
    const current = this.pods.get(key);
    this.pods.set(key, next);
    if (current?.uid === next.uid) {
      if (current.generation !== next.generation) {
        ctx.log.info({ pod: key, generation: next.generation }, "pod spec changed");
      }
      return;
    }
    if (current) this.stops?.inc();
    this.starts?.inc();
    this.timing?.arrived(next.uid);
    ctx.log.info({ pod: key, uid: next.uid }, "pod started");
  }

  /**
   * The pod is being deleted: stop it, then ask for the final delete (kubelet's last step;
   * without it the pod stays Terminating forever). Queued, so it survives being offline.
   */
  private terminate(ctx: ModuleContext, key: string, pod: KubeObject): void {
    const uid = pod.metadata.uid ?? "";
    if (this.pods.get(key)?.uid === uid) {
      this.pods.delete(key);
      this.stops?.inc();
      ctx.log.info({ pod: key, uid }, "pod stopped (deleted in the cloud)");
    }
    // With a runtime, the pod manager asks for the delete once the containers have stopped.
    if (this.runtime?.manager) return;
    const namespace = pod.metadata.namespace ?? "default";
    ctx.outbox.enqueue(OutboxKind.PodDelete, uid, { namespace, name: pod.metadata.name, uid });
  }
}
