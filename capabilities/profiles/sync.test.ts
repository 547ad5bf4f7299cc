import { thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";
import { describe, expect, it } from "vitest";
import type { KubeClient } from "./kube-client.js";
import { syncNamespace } from "./sync.js";

const NS = "plant";

/** A client that answers lists from `lists` and records when each write starts and ends. */
function recordingClient(lists: Record<string, unknown[]>) {
  const events: string[] = [];
  const kind = (path: string): string => path.split("/").at(-2)!;
  const client = {
    list: async (path: string) => lists[path.split("/").at(-1)!] ?? [],
    apply: async (path: string, obj: unknown) => {
      events.push(`start ${kind(path)}`);
      await new Promise(r => setTimeout(r, 5));
      events.push(`end ${kind(path)}`);
      return obj;
    },
    delete: async () => undefined,
  };
  return { client: client as unknown as KubeClient, events };
}

describe("syncNamespace", () => {
  it("writes a node's reader RoleBinding only once its Role is written", async () => {
    const { client, events } = recordingClient({
      devices: [
        thermometerDevice({
          name: "thermo-1",
          namespace: NS,
          node: "edge-1",
          endpoint: { host: "127.0.0.1", port: 5020 },
        }),
      ],
      devicemodels: [thermometerModel({ namespace: NS })],
    });
    const result = await syncNamespace(client, NS);
    expect(result.writes).toBe(3);
    expect(events.indexOf("start rolebindings")).toBeGreaterThan(events.indexOf("end roles"));
  });
});
