/**
 * The bench's own view of the cluster: a list+watch of one collection with the admin identity,
 * re-watching from the last resourceVersion when the server ends a watch and relisting after
 * an error. Every object listed or changed is handed to `onObject` with the time it arrived.
 */
import type { KubeClient, KubeObject, ObjectList } from "../../edge-agent/src/kube/client.js";

export type ObjectHandler = (object: KubeObject, type: string, at: number) => void;

export async function watchCollection(
  client: KubeClient,
  path: string,
  onObject: ObjectHandler,
  signal: AbortSignal,
): Promise<void> {
  let rv: string | undefined;
  while (!signal.aborted) {
    try {
      rv ??= await listAll(client, path, onObject);
      await client.watch(
        path,
        { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 300 },
        event => {
          rv = event.object.metadata.resourceVersion ?? rv;
          if (event.type === "ERROR") throw new Error("watch error event");
          if (event.type !== "BOOKMARK") onObject(event.object, event.type, Date.now());
        },
        signal,
      );
    } catch {
      if (signal.aborted) return;
      rv = undefined;
      await new Promise(r => setTimeout(r, 500));
    }
  }
}

async function listAll(client: KubeClient, path: string, onObject: ObjectHandler): Promise<string> {
  const list = await client.get<ObjectList>(path);
  const at = Date.now();
  for (const item of list.items) onObject(item, "ADDED", at);
  return list.metadata.resourceVersion ?? "";
}
