import type { Logger } from "pino";
import type { AgentConfig } from "../config/types.js";
import type { MetaStore } from "../store/meta-store.js";
import type { MetricsRegistry } from "../observability/metrics.js";
import type { Database, Migration } from "../store/database.js";
import type { Outbox } from "../store/outbox.js";
import type { Beehive } from "./context.js";
import type { Message, MessageRouter } from "./message.js";

/** What a module gets when it starts: the bus and the agent's shared services. */
export interface ModuleContext {
  /** This module's name on the bus. */
  readonly name: string;
  readonly bus: Beehive;
  readonly config: AgentConfig;
  readonly nodeName: string;
  /** The shared SQLite database (tables from the module's `migrations` exist). */
  readonly db: Database;
  /** Cached cloud objects (pods, configmaps, secrets, the Node, device profiles). */
  readonly meta: MetaStore;
  /** Durable queue of writes to the cloud (see store/device-status.ts for Device reports). */
  readonly outbox: Outbox;
  readonly metrics: MetricsRegistry;
  /** A child logger with `{ module: name }`. */
  readonly log: Logger;
  /** Aborted when the agent stops: end receive loops and timers on it. */
  readonly signal: AbortSignal;
  /** Sends a message from this module (router.source filled in). */
  send(target: string, router: Omit<MessageRouter, "source">, content: unknown): Message;
}

/**
 * One edge module (KubeEdge's `core.Module`). Each lives in `src/<module>/` with one entry that
 * exports an object implementing this interface.
 */
export interface AgentModule {
  readonly name: string;
  /** Bus group the module joins (groups receive broadcasts such as cloud connect/drop). */
  readonly group: string;
  /** Read from the config; disabled modules are not put on the bus (beehive's disabled map). */
  enabled(config: AgentConfig): boolean;
  /** Tables the module needs; applied at start whether or not the module is enabled. */
  readonly migrations?: readonly Migration[];
  /** Starts the module. Resolves once it is ready to take messages; long work runs detached. */
  start(ctx: ModuleContext): Promise<void>;
  /** Stops timers and connections; the bus mailbox is cleaned up by the runner afterwards. */
  stop(): Promise<void>;
}
