import { existsSync } from "node:fs";
import { APISERVER_KUBELET_CLIENT_CN } from "@kubeedge-ts/contract";
import { join } from "node:path";
import type { ModuleContext } from "../beehive/module.js";
import { gatherHostFacts } from "../util/host-facts.js";
import { capacity } from "../edgehub/node.js";
import { milliCpu, parseQuantity } from "./spec/quantity.js";
import { OutboxKind } from "../store/outbox.js";
import type { Cri } from "./cri/client.js";
import type { VersionInfo } from "./cri/types.js";
import { criSocketPath } from "./cri/endpoint.js";
import { podKey, type Pod } from "./pod.js";
import {
  configMapData,
  localConfigMapName,
  secretData,
  type ObjectSource,
} from "./spec/objects.js";
import { isReservedMqttSecret, mqttSecretResolver } from "./spec/mqtt-secrets.js";
import { ProbeManager } from "./probes/probe-manager.js";
import { PodManager } from "./sync/pod-manager.js";
import type { PodStartTiming } from "./sync/start-timing.js";
import { KickableSleep } from "./sync/kickable-sleep.js";
import { RuntimeHousekeeping, runtimeVersion } from "./images/housekeeping.js";
import { hubCredentials, readCredentials } from "../kube/kubeconfig.js";
import { KubeClient, type KubeObject } from "../kube/client.js";
import {
  type IssuedToken,
  ServiceAccountTokens,
  type TokenRequester,
} from "./volumes/service-account-tokens.js";

/** Relist period (kubelet's PLEG relists every second). */
const TICK_MS = 1_000;
/** How often to look for an absent runtime socket, or ask a runtime that does not answer yet. */
const SOCKET_POLL_MS = 2_000;
/** Ticks between reports of the runtime's images to the Node status. */
const IMAGES_REPORT_TICKS = 10;
/** Ticks between image garbage collections (kubelet's ImageGCPeriod, 5 min). */
const IMAGE_GC_TICKS = 300;

/**
 * ConfigMaps and Secrets from the agent's store (the node's profile also under its node-relative
 * name); the reserved MQTT Secrets from the node.
 */
export function storeObjects(ctx: ModuleContext): ObjectSource {
  const mqttSecret = mqttSecretResolver(ctx.config);
  return {
    configMap: (ns, name) => {
      const local = localConfigMapName(name, ctx.nodeName);
      const o = ctx.meta.get<KubeObject>("ConfigMap", ns, local)?.object;
      return o && configMapData(o);
    },
    secret: (ns, name) => {
      if (isReservedMqttSecret(name)) return mqttSecret(ns, name);
      const o = ctx.meta.get<KubeObject>("Secret", ns, name)?.object;
      return o && secretData(o);
    },
  };
}

/**
 * The container side of edged: waits for the runtime's socket, connects (loading gRPC only
 * then), and runs the pod manager's sync loop until the agent stops. `kick` runs a sync now
 * (a pod or object changed) instead of at the next tick.
 */
export class PodRuntime {
  manager?: PodManager;
  private cri?: Cri;
  private probes?: ProbeManager;
  private server?: { close(): Promise<void> };

  private readonly sleeper: KickableSleep;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly timing?: PodStartTiming,
  ) {
    this.sleeper = new KickableSleep(ctx.signal);
  }

  kick(): void {
    this.sleeper.kick();
  }

  async run(endpoint: string): Promise<void> {
    const { ctx } = this;
    const signal = ctx.signal;
    while (!signal.aborted && !existsSync(criSocketPath(endpoint)))
      await this.sleep(SOCKET_POLL_MS);
    if (signal.aborted) return;
    const { connectCri } = await import("./cri/client.js");
    const cri = (this.cri = await connectCri(endpoint));
    const version = await this.firstVersion(cri);
    if (!version) return;
    ctx.log.info(
      { endpoint, runtime: `${version.runtimeName} ${version.runtimeVersion}` },
      "container runtime connected",
    );
    this.probes = new ProbeManager(cri, ctx.log, () => this.kick());
    this.manager = new PodManager({
      probes: this.probes,
      cri,
      nodeName: ctx.nodeName,
      rootDir: join(ctx.config.dataDir, "edged"),
      hostIP: gatherHostFacts(ctx.config.modules.edged.nodeIP).ip,
      allocatable: allocatable(ctx),
      objects: storeObjects(ctx),
      listPods: () => ctx.meta.list("Pod").map(o => o.object),
      reportStatus: (pod, status) =>
        ctx.outbox.enqueue(OutboxKind.PodStatus, `${pod.metadata.namespace}/${pod.metadata.name}`, {
          namespace: pod.metadata.namespace,
          name: pod.metadata.name,
          status,
        }),
      reportEvent: (pod, reason, message) =>
        ctx.outbox.enqueue(
          OutboxKind.Event,
          pod.metadata.uid || podKey(pod),
          podEvent(pod, reason, message),
        ),
      tokens: new ServiceAccountTokens(tokenRequester(ctx), ctx.log),
      ...(this.timing ? { timing: this.timing } : {}),
      requestDelete: pod => {
        const { namespace, name, uid } = pod.metadata;
        ctx.outbox.enqueue(OutboxKind.PodDelete, uid, { namespace, name, uid });
      },
      log: ctx.log,
    });
    await this.serveLogs(this.manager.logRoot).catch(err =>
      ctx.log.error({ err }, "kubelet API not started: kubectl logs will not reach this node"),
    );
    const housekeeping = new RuntimeHousekeeping(ctx, cri, runtimeVersion(version));
    for (let n = 0; !signal.aborted; n++) {
      await this.manager.tick().catch(err => ctx.log.warn({ err }, "runtime relist failed"));
      if (n % IMAGES_REPORT_TICKS === 0) await housekeeping.reportRuntime();
      if (n % IMAGE_GC_TICKS === IMAGE_GC_TICKS - 1) await housekeeping.collectImages();
      await this.sleep(TICK_MS);
    }
    await this.manager.idle();
  }

  /** The kubelet API for `kubectl logs` on modules.edged.port (0 = off), on the node's IP. */
  private async serveLogs(logRoot: string): Promise<void> {
    const { ctx } = this;
    const { edged, edgeHub } = ctx.config.modules;
    if (edged.port === 0) return;
    const ca = readCredentials(
      edgeHub.kubeconfig,
      edgeHub.tlsCaFile ? { caFile: edgeHub.tlsCaFile } : {},
    ).ca;
    if (!ca) throw new Error("the kubeconfig names no cluster CA to check clients against");
    const host = gatherHostFacts(edged.nodeIP).ip;
    const { servingCert } = await import("./server/serving-cert.js");
    const { startKubeletServer } = await import("./server/kubelet-server.js");
    const tls = await servingCert(join(ctx.config.dataDir, "edged", "pki"), ctx.nodeName, host);
    this.server = await startKubeletServer({
      host,
      port: edged.port,
      ...tls,
      clientCa: ca,
      allowedCommonName: APISERVER_KUBELET_CLIENT_CN,
      podLogDirectory: (ns, name) => {
        const uid = ctx.meta.get<KubeObject>("Pod", ns, name)?.object.metadata.uid;
        return uid && join(logRoot, `${ns}_${name}_${uid}`);
      },
      log: ctx.log,
    });
  }

  close(): void {
    void this.server?.close();
    this.probes?.stopAll();
    this.cri?.close();
  }

  /**
   * The runtime's version once it answers (undefined if the agent stops first): containerd's
   * CRI refuses every call until it has loaded its state ("server is not initialized yet"),
   * as right after the node boots or the runtime restarts.
   */
  private async firstVersion(cri: Cri): Promise<VersionInfo | undefined> {
    for (let attempt = 0; !this.ctx.signal.aborted; attempt++) {
      try {
        return await cri.version();
      } catch (err) {
        if (attempt === 0) this.ctx.log.warn({ err }, "container runtime not answering yet");
        await this.sleep(SOCKET_POLL_MS);
      }
    }
    return undefined;
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeper.sleep(ms);
  }
}

function podEvent(pod: Pick<Pod, "metadata">, reason: string, message: string) {
  const { namespace, name, uid } = pod.metadata;
  return {
    reason,
    message,
    type: "Warning" as const,
    involvedObject: { kind: "Pod", apiVersion: "v1", namespace, name, uid },
  };
}

/** What the Node reports allocatable (edgehub's node status), as numbers. */
function allocatable(ctx: ModuleContext) {
  const res = capacity(gatherHostFacts(ctx.config.modules.edged.nodeIP), ctx.config.modules.edged);
  return {
    milliCpu: milliCpu(res.cpu) ?? 0,
    memoryBytes: parseQuantity(res.memory) ?? 0,
    pods: Number(res.pods),
  };
}

/** TokenRequest as the node (EdgeHub's identity), credentials re-read after a failure. */
function tokenRequester(ctx: ModuleContext): TokenRequester {
  const hub = ctx.config.modules.edgeHub;
  let client: KubeClient | undefined;
  return async (namespace, serviceAccount, body) => {
    client ??= new KubeClient(hubCredentials(hub), hub.requestTimeoutMs);
    const path = `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`;
    try {
      return (await client.request<{ status: IssuedToken }>("POST", path, { body })).status;
    } catch (err) {
      client.reload(hubCredentials(hub));
      throw err;
    }
  };
}
