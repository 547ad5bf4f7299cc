import type { Server } from "node:http";
import { pino, type Logger } from "pino";
import { Beehive } from "../beehive/context.js";
import { ModuleRunner } from "../beehive/core.js";
import type { AgentModule } from "../beehive/module.js";
import { ModuleName } from "../beehive/names.js";
import type { AgentConfig } from "../config/types.js";
import type { EdgeHubModule } from "../edgehub/index.js";
import { MetaStore } from "../store/meta-store.js";
import { allModules } from "../modules.js";
import { MetricsRegistry } from "../observability/metrics.js";
import { registerProcessMetrics } from "../observability/process-metrics.js";
import { openDatabase, type Database } from "../store/database.js";
import { secureDirectory } from "../store/file-modes.js";
import { secretSealerFor } from "../store/secret-key.js";
import { DEFAULT_COALESCERS } from "../store/device-status.js";
import { newestWins, Outbox, OutboxKind } from "../store/outbox.js";
import { startHealthServer } from "./health.js";

export interface AgentOptions {
  modules?: AgentModule[];
  log?: Logger;
  /**
   * Start the local /healthz and /metrics server (default true). Off only where many agents
   * share one process (bench/edgemark.ts): the server is an edge-local part, not the cloud link.
   */
  healthServer?: boolean;
}

/** A running agent: its shared services and a stop function. */
export interface Agent {
  config: AgentConfig;
  db: Database;
  meta: MetaStore;
  outbox: Outbox;
  bus: Beehive;
  metrics: MetricsRegistry;
  log: Logger;
  /** Port of /healthz and /metrics; 0 when the server is off. */
  healthPort: number;
  modules: AgentModule[];
  cloudConnected(): boolean;
  stop(): Promise<void>;
}

/**
 * Wires the agent: one SQLite database (core + every module's migrations), the outbox and meta
 * store, the bus, the modules enabled by config, and the local health server.
 */
export async function startAgent(config: AgentConfig, options: AgentOptions = {}): Promise<Agent> {
  const log = options.log ?? pino({ level: config.logLevel, base: { node: config.nodeName } });
  const modules = options.modules ?? allModules();
  if (config.dataDir !== "") secureDirectory(config.dataDir);
  const db = openDatabase(config.database.dataSource, {
    migrations: modules.flatMap(m => m.migrations ?? []),
  });
  const meta = new MetaStore(db, secretSealerFor(config.database, config.dataDir));
  const sealed = meta.sealPlaintextSecrets();
  if (sealed > 0) log.info({ sealed }, "sealed Secrets stored in clear text by an older version");
  const outbox = new Outbox(
    db,
    { ...DEFAULT_COALESCERS, [OutboxKind.PodStatus]: newestWins },
    { maxRows: config.database.outboxMaxRows, maxBytes: config.database.outboxMaxBytes },
  );
  const metrics = new MetricsRegistry();
  registerProcessMetrics(metrics);
  const bus = new Beehive();
  const abort = new AbortController();
  metrics.gauge(
    "kubeedge_edge_outbox_events_dropped",
    "Events the outbox cap dropped since start (reports and pod deletes are never dropped)",
    () => outbox.droppedEventCount(),
  );
  metrics.gauge("kubeedge_edge_cached_objects", "Objects in the local meta store", () =>
    meta.count(),
  );
  const runner = new ModuleRunner(
    { bus, config, nodeName: config.nodeName, db, meta, outbox, metrics, signal: abort.signal },
    log,
  );
  for (const m of modules) runner.register(m);
  const hub = modules.find(m => m.name === ModuleName.EdgeHub) as EdgeHubModule | undefined;
  const cloudConnected = (): boolean => hub?.connected ?? false;
  let server: Server | undefined;
  try {
    await runner.start();
    let healthPort = 0;
    if (options.healthServer !== false) {
      const health = await startHealthServer(config.server.address, config.server.port, {
        metrics,
        meta,
        status: () => ({
          node: config.nodeName,
          cloudConnected: cloudConnected(),
          outboxDepth: outbox.depth(),
          outboxDeadLetters: outbox.deadLetterCount(),
          cachedObjects: meta.count(),
        }),
      });
      server = health.server;
      healthPort = health.port;
      log.info(
        { address: config.server.address, port: health.port },
        "healthz and metrics listening",
      );
    }
    let stopped = false;
    return {
      config,
      db,
      meta,
      outbox,
      bus,
      metrics,
      log,
      healthPort,
      modules: runner.enabledModules(),
      cloudConnected,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        abort.abort();
        await runner.stop();
        if (server) await new Promise(resolve => server?.close(resolve));
        db.close();
        log.info("agent stopped");
      },
    };
  } catch (error) {
    abort.abort();
    await runner.stop();
    server?.close();
    db.close();
    throw error;
  }
}
