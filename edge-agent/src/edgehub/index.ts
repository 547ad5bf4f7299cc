import type { AgentConfig } from "../config/types.js";
import { newMessage, newResponse, type Message } from "../beehive/message.js";
import type { AgentModule, ModuleContext } from "../beehive/module.js";
import {
  CONNECTION_GROUPS,
  CONNECTION_RESOURCE,
  ConnectionState,
  Group,
  ModuleName,
  NODE_RUNTIME_RESOURCE,
  Operation,
} from "../beehive/names.js";
import type { NodeRuntimeFacts } from "../edged/images/node-images.js";
import { routeChange } from "../metamanager/route.js";
import { EdgeHub } from "./edge-hub.js";

/** A remote query: `content` of an Operation.Query message to the edgehub. */
export interface RemoteQuery {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The edgehub module: runs EdgeHub, routes cloud changes to the modules that
 * care, tells all groups when the cloud connects or drops, and answers remote queries.
 */
export class EdgeHubModule implements AgentModule {
  readonly name = ModuleName.EdgeHub;
  readonly group = Group.Hub;
  private hub?: EdgeHub;
  private ctx?: ModuleContext;

  enabled(config: AgentConfig): boolean {
    return config.modules.edgeHub.enable;
  }

  get connected(): boolean {
    return this.hub?.connected ?? false;
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.ctx = ctx;
    this.hub = new EdgeHub({
      config: ctx.config,
      meta: ctx.meta,
      outbox: ctx.outbox,
      metrics: ctx.metrics,
      log: ctx.log,
      onChange: change => {
        for (const d of routeChange(change)) {
          const msg = newMessage(
            { source: this.name, resource: d.resource, operation: d.operation },
            d.content,
          );
          msg.header.resourceVersion = d.content.metadata.resourceVersion;
          ctx.bus.broadcast(d.group, msg);
        }
      },
      onConnection: connected => this.publishConnection(connected),
    });
    this.hub.start(ctx.signal);
    void this.serve(ctx);
  }

  async stop(): Promise<void> {
    await this.hub?.stop();
  }

  private publishConnection(connected: boolean): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const state = connected ? ConnectionState.Connected : ConnectionState.Disconnected;
    for (const group of CONNECTION_GROUPS) {
      const msg = newMessage(
        { source: this.name, resource: CONNECTION_RESOURCE, operation: Operation.Connection },
        state,
      );
      ctx.bus.broadcast(group, msg);
    }
  }

  private async serve(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.bus.messages(this.name)) {
      if (msg.router.operation === Operation.Query) void this.answer(ctx, msg);
      else if (msg.router.resource === NODE_RUNTIME_RESOURCE && this.hub) {
        // edged's view of the runtime: reported with the next Node status.
        this.hub.reporter.runtime = msg.content as NodeRuntimeFacts;
      }
    }
  }

  private async answer(ctx: ModuleContext, msg: Message): Promise<void> {
    const q = msg.content as RemoteQuery;
    let reply: Message;
    try {
      const object = await this.hub!.fetch(q.kind, q.namespace, q.name);
      reply = newResponse(msg, this.name, object);
    } catch (error) {
      reply = newResponse(msg, this.name, { error: (error as Error).message }, Operation.Error);
    }
    ctx.bus.sendResponse(reply);
  }
}
