import { newMessage, newResponse, type Message } from "../beehive/message.js";
import type { AgentModule, ModuleContext } from "../beehive/module.js";
import {
  CONNECTION_RESOURCE,
  ConnectionState,
  Group,
  ModuleName,
  Operation,
} from "../beehive/names.js";
import type { AgentConfig } from "../config/types.js";
import type { KubeObject } from "../kube/client.js";
import { isProfileConfigMap, resourceKey } from "./route.js";
import type { StoredObject } from "../store/meta-store.js";

/** `content` of an Operation.Query to the meta manager. Without `name`: list the kind. */
export interface MetaQuery {
  kind: string;
  namespace?: string;
  name?: string;
}

/** How long a remote query may take before the local answer (or not-found) is used. */
const REMOTE_QUERY_TIMEOUT_MS = 5_000;

/**
 * The meta manager: at start hands every cached object to the modules that own them (offline
 * autonomy: pods to edged, device profiles to the twin), and answers queries from the SQLite
 * cache — asking the cloud only for an object it does not hold while the cloud is connected.
 */
export class MetaManagerModule implements AgentModule {
  readonly name = ModuleName.MetaManager;
  readonly group = Group.Meta;
  private cloudConnected = false;

  enabled(config: AgentConfig): boolean {
    return config.modules.metaManager.enable;
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.restore(ctx);
    void this.serve(ctx);
  }

  async stop(): Promise<void> {}

  /** Sends Operation.Restore for every stored pod (to edged) and device profile (to twin). */
  private restore(ctx: ModuleContext): void {
    const send = (group: string, o: StoredObject<KubeObject>): void => {
      const msg = newMessage(
        {
          source: this.name,
          resource: resourceKey(o.kind, o.namespace, o.name),
          operation: Operation.Restore,
        },
        o.object,
      );
      ctx.bus.broadcast(group, msg);
    };
    const pods = ctx.meta.list<KubeObject>("Pod");
    const profiles = ctx.meta
      .list<KubeObject>("ConfigMap")
      .filter(o => isProfileConfigMap(o.kind, o.name));
    for (const p of pods) send(Group.Edged, p);
    for (const p of profiles) send(Group.Twin, p);
    ctx.log.info(
      { pods: pods.length, profiles: profiles.length, objects: ctx.meta.count() },
      "restored from local store",
    );
  }

  private async serve(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.bus.messages(this.name)) {
      if (msg.router.resource === CONNECTION_RESOURCE) {
        this.cloudConnected = msg.content === ConnectionState.Connected;
      } else if (msg.router.operation === Operation.Query) {
        void this.answer(ctx, msg);
      }
    }
  }

  private async answer(ctx: ModuleContext, msg: Message): Promise<void> {
    const q = msg.content as MetaQuery;
    let content: unknown;
    let op = Operation.Response;
    if (q.name === undefined) {
      content = ctx.meta.list<KubeObject>(q.kind, q.namespace).map(o => o.object);
    } else {
      content = ctx.meta.get<KubeObject>(q.kind, q.namespace ?? "", q.name)?.object;
      if (content === undefined && this.cloudConnected && ctx.bus.hasModule(ModuleName.EdgeHub)) {
        content = await this.remote(ctx, q);
      }
      if (content === undefined) {
        op = Operation.Error;
        content = { error: `${q.kind} ${q.namespace ?? ""}/${q.name} not found` };
      }
    }
    const reply = newResponse(msg, this.name, content, op);
    if (!ctx.bus.sendResponse(reply) && ctx.bus.hasModule(msg.router.source)) {
      ctx.bus.send(msg.router.source, reply);
    }
  }

  private async remote(ctx: ModuleContext, q: MetaQuery): Promise<unknown> {
    try {
      const req = newMessage(
        {
          source: this.name,
          resource: resourceKey(q.kind, q.namespace, q.name!),
          operation: Operation.Query,
        },
        { kind: q.kind, namespace: q.namespace ?? "", name: q.name },
      );
      const resp = await ctx.bus.sendSync(ModuleName.EdgeHub, req, REMOTE_QUERY_TIMEOUT_MS);
      return resp.router.operation === Operation.Error ? undefined : resp.content;
    } catch (error) {
      ctx.log.debug({ query: q, err: error }, "remote query failed");
      return undefined;
    }
  }
}
