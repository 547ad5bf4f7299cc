import { profileConfigMapName } from "@kubeedge-ts/contract";
import type { MetaStore, StoredObject } from "../store/meta-store.js";
import { parseNamespaces, podReferences } from "../metamanager/references.js";
import type { KubeObject } from "../kube/client.js";
import { NODE_DEVICE_NAMESPACES_ANNOTATION } from "@kubeedge-ts/contract";
import { Reflector, type ReflectorDeps, type ReflectorSpec } from "./reflector.js";

const collection = (kind: string): string => (kind === "Secret" ? "secrets" : "configmaps");

function singleObject(kind: string, namespace: string, name: string): ReflectorSpec {
  return {
    key: `${kind}/${namespace}/${name}`,
    kind,
    path: `/api/v1/namespaces/${namespace}/${collection(kind)}`,
    fieldSelector: `metadata.name=${name}`,
    owns: (s: StoredObject) => s.kind === kind && s.namespace === namespace && s.name === name,
  };
}

/**
 * The watches this node needs, derived from what it has stored: its pods and Node always; each
 * ConfigMap/Secret a pod references; its device-profile ConfigMap in every namespace its Node
 * annotation lists. Pure, so it is computed the same way online and offline.
 */
export function desiredWatches(nodeName: string, meta: MetaStore): ReflectorSpec[] {
  const specs = new Map<string, ReflectorSpec>();
  const add = (s: ReflectorSpec): void => void specs.set(s.key, s);
  add({
    key: "pods",
    kind: "Pod",
    path: "/api/v1/pods",
    fieldSelector: `spec.nodeName=${nodeName}`,
    owns: s => s.kind === "Pod",
  });
  add({
    key: "node",
    kind: "Node",
    path: "/api/v1/nodes",
    fieldSelector: `metadata.name=${nodeName}`,
    owns: s => s.kind === "Node" && s.name === nodeName,
  });
  for (const pod of meta.list<KubeObject>("Pod")) {
    for (const ref of podReferences(pod.object))
      add(singleObject(ref.kind, ref.namespace, ref.name));
  }
  const node = meta.get<KubeObject>("Node", "", nodeName)?.object;
  const annotation = node?.metadata.annotations?.[NODE_DEVICE_NAMESPACES_ANNOTATION];
  for (const ns of parseNamespaces(annotation)) {
    add(singleObject("ConfigMap", ns, profileConfigMapName(nodeName)));
  }
  return [...specs.values()];
}

interface Running {
  reflector: Reflector;
  controller: AbortController;
  /** Stops the watch and takes its listener off the session's signal. */
  stop: () => void;
}

/**
 * Runs one Reflector per desired watch and reconciles the set when it changes. A watch that is
 * no longer needed stops and its objects leave the store. Connection loss in any watch is
 * reported through `onFatal` (the link then reconnects).
 */
export class WatchSet {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly deps: ReflectorDeps,
    private readonly onFatal: (error: unknown) => void,
  ) {}

  reconcile(specs: ReflectorSpec[], signal: AbortSignal): void {
    if (signal.aborted) return;
    const wanted = new Map(specs.map(s => [s.key, s]));
    for (const [key, run] of this.running) {
      if (wanted.has(key)) continue;
      run.stop();
      this.running.delete(key);
      this.forget(run.reflector.spec);
    }
    for (const [key, spec] of wanted) {
      if (this.running.has(key)) continue;
      const controller = new AbortController();
      // Removed when the watch stops: the session's signal outlives many watches, and a
      // listener left behind per stopped watch would keep its controller alive.
      const abort = (): void => controller.abort();
      signal.addEventListener("abort", abort, { once: true });
      const stop = (): void => {
        signal.removeEventListener("abort", abort);
        controller.abort();
      };
      const reflector = new Reflector(spec, this.deps);
      this.running.set(key, { reflector, controller, stop });
      reflector.run(controller.signal).catch(error => {
        if (!controller.signal.aborted) this.onFatal(error);
      });
    }
  }

  stopAll(): void {
    for (const run of this.running.values()) run.stop();
    this.running.clear();
  }

  get size(): number {
    return this.running.size;
  }

  private forget(spec: ReflectorSpec): void {
    const { meta, onChange } = this.deps;
    const owned = meta.list<KubeObject>(spec.kind).filter(spec.owns);
    meta.transaction(() => {
      for (const s of owned) meta.delete(s.kind, s.namespace, s.name);
      meta.clearWatchVersion(spec.key);
    });
    for (const s of owned) {
      onChange({ op: "delete", kind: s.kind, object: s.object, previous: s, relist: false });
    }
  }
}
