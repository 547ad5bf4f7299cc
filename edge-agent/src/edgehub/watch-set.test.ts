import { getEventListeners } from "node:events";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { KubeClient } from "../kube/client.js";
import { openDatabase } from "../store/database.js";
import { MetaStore } from "../store/meta-store.js";
import type { ReflectorSpec } from "./reflector.js";
import { WatchSet } from "./watch-set.js";

/** An apiserver that never answers: the watches stay in their first list. */
const silentApiserver = {
  get: () => new Promise(() => undefined),
  watch: () => new Promise(() => undefined),
} as unknown as KubeClient;

const configMapWatch = (name: string): ReflectorSpec => ({
  key: `ConfigMap/default/${name}`,
  kind: "ConfigMap",
  path: "/api/v1/namespaces/default/configmaps",
  fieldSelector: `metadata.name=${name}`,
  owns: s => s.kind === "ConfigMap" && s.name === name,
});

describe("WatchSet", () => {
  it("keeps one abort listener per running watch on the session's signal, however often it changes", () => {
    const set = new WatchSet(
      {
        client: silentApiserver,
        meta: new MetaStore(openDatabase(":memory:")),
        log: pino({ level: "silent" }),
        onChange: () => undefined,
        onRestart: () => undefined,
      },
      () => undefined,
    );
    const session = new AbortController();
    const pods = { ...configMapWatch("pods"), key: "pods" };
    for (let i = 0; i < 200; i++) {
      // A pod referencing a different ConfigMap each time: one watch stops, another starts.
      set.reconcile([pods, configMapWatch(`cm-${i}`)], session.signal);
      expect(set.size).toBe(2);
    }
    expect(getEventListeners(session.signal, "abort")).toHaveLength(2);
    set.stopAll();
    expect(getEventListeners(session.signal, "abort")).toHaveLength(0);
  });
});
