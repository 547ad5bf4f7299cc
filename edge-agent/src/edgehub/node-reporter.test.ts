import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/defaults.js";
import type { KubeClient, KubeObject } from "../kube/client.js";
import { TEST_HOST } from "../util/testdata/host.js";
import { storedAsReady } from "./node.js";
import { NODE_STATUS_REPORT_MS, NodeReporter } from "./node-reporter.js";

const host = TEST_HOST;

/** Records the status PATCHes; answers with the Node as the apiserver would store it. */
function recordingClient(): { client: KubeClient; patches: number[] } {
  const patches: number[] = [];
  const client = {
    request: async (method: string, path: string) => {
      if (method === "PATCH" && path.endsWith("/status")) patches.push(patches.length);
      return { metadata: { name: "edge-1" } } as KubeObject;
    },
  } as unknown as KubeClient;
  return { client, patches };
}

function reporter(client: KubeClient, nodeIP = host.ip): NodeReporter {
  const edged = { ...defaultConfig().modules.edged, nodeIP };
  return new NodeReporter(
    client,
    "edge-1",
    { ...host, ip: nodeIP },
    edged,
    40,
    pino({ level: "silent" }),
  );
}

describe("NodeReporter.updateStatus", () => {
  it("sends an unchanged status once per report period, not once per update period", async () => {
    const { client, patches } = recordingClient();
    const r = reporter(client);
    const t0 = 1_000_000;
    await r.updateStatus(false, t0);
    for (let s = 10; s < NODE_STATUS_REPORT_MS / 1000; s += 10) {
      await r.updateStatus(false, t0 + s * 1000);
    }
    expect(patches).toHaveLength(1);
    await r.updateStatus(false, t0 + NODE_STATUS_REPORT_MS);
    expect(patches).toHaveLength(2);
  });

  it("sends at once when forced (registration, a Ready condition written by someone else)", async () => {
    const { client, patches } = recordingClient();
    const r = reporter(client);
    await r.updateStatus(false, 0);
    await r.updateStatus(true, 10_000);
    expect(patches).toHaveLength(2);
  });

  it("does not count a failed PATCH as sent", async () => {
    let fail = true;
    let sent = 0;
    const client = {
      request: async () => {
        if (fail) throw new Error("apiserver away");
        sent++;
        return { metadata: { name: "edge-1" } };
      },
    } as unknown as KubeClient;
    const r = reporter(client);
    await expect(r.updateStatus(false, 0)).rejects.toThrow("apiserver away");
    fail = false;
    await r.updateStatus(false, 10_000);
    expect(sent).toBe(1);
  });
});

describe("NodeReporter.register", () => {
  /** A client whose stored Node has the given Ready status; counts the status PATCHes. */
  function storedNode(ready: { type: string; status: string }): {
    client: KubeClient;
    patches: () => number;
  } {
    let patches = 0;
    const node = { metadata: { name: "edge-1", uid: "u1" }, status: { conditions: [ready] } };
    const client = {
      get: async () => node,
      request: async (method: string, path: string) => {
        if (method === "PATCH" && path.endsWith("/status")) patches++;
        return node;
      },
    } as unknown as KubeClient;
    return { client, patches: () => patches };
  }

  it("sends the status at the first registration, not again at a reconnect while Ready", async () => {
    const stored = { type: "Ready", status: "True" };
    const { client, patches } = storedNode(stored);
    const r = reporter(client);
    await r.register();
    expect(patches()).toBe(1);
    await r.register();
    await r.register();
    expect(patches()).toBe(1);
  });

  it("sends at a reconnect when the controller marked the Node Unknown meanwhile", async () => {
    const stored = { type: "Ready", status: "True" };
    const { client, patches } = storedNode(stored);
    const r = reporter(client);
    await r.register();
    stored.status = "Unknown";
    await r.register();
    expect(patches()).toBe(2);
  });
});

describe("storedAsReady", () => {
  it("reads the Ready condition of the Node as stored", () => {
    const node = (status: string): KubeObject => ({
      metadata: { name: "edge-1" },
      status: { conditions: [{ type: "Ready", status }] },
    });
    expect(storedAsReady(node("True"))).toBe(true);
    expect(storedAsReady(node("Unknown"))).toBe(false);
    expect(storedAsReady({ metadata: { name: "edge-1" } })).toBe(false);
  });
});
