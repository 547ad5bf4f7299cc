/**
 * Wires a protocol driver into a running mapper process: MQTT twin client, runtime, profile
 * file watcher and the /healthz + /metrics server. The mapper CLIs call this.
 */
import { watchFile, type FileWatcher } from "./file-watcher.js";
import type { DeviceSession, ProtocolDriver } from "./driver.js";
import type { Logger } from "./logger.js";
import { createMapperMetrics, type MapperMetrics } from "./metrics.js";
import { startHttpServer, type RunningHttpServer } from "./http-server.js";
import { MapperRuntime } from "./runtime.js";
import { TwinClient } from "./twin-client.js";

export interface RunMapperOptions<V, S extends DeviceSession<V>> {
  driver: ProtocolDriver<V, S>;
  log: Logger;
  profilePath: string;
  mqttUrl: string;
  mqttUsername?: string;
  mqttPassword?: string;
  mqttClientId?: string;
  httpHost?: string;
  httpPort: number;
  metrics?: MapperMetrics;
}

export interface RunningMapper<V, S extends DeviceSession<V> = DeviceSession<V>> {
  runtime: MapperRuntime<V, S>;
  twin: TwinClient;
  http: RunningHttpServer;
  watcher: FileWatcher;
  metrics: MapperMetrics;
  stop(): Promise<void>;
}

export async function runMapper<V, S extends DeviceSession<V>>(
  opts: RunMapperOptions<V, S>,
): Promise<RunningMapper<V, S>> {
  const { log, driver } = opts;
  const metrics = opts.metrics ?? createMapperMetrics();
  const twin = await TwinClient.connect({
    url: opts.mqttUrl,
    log,
    username: opts.mqttUsername,
    password: opts.mqttPassword,
    clientId: opts.mqttClientId,
    // Devices are polled even while the broker is away; states and twin/get go out on connect.
    waitMs: 2000,
  });
  const runtime = new MapperRuntime({ driver, twin, topics: twin, log, metrics });
  const status = (): Record<string, unknown> => {
    metrics.mqttConnected.set(twin.connected ? 1 : 0);
    return { mqtt: twin.connected, profileLoaded: runtime.ready, devices: runtime.states() };
  };
  const http = await startHttpServer({
    host: opts.httpHost,
    port: opts.httpPort,
    registry: metrics.registry,
    // Alive while the process answers, so a broker outage never gets the mapper restarted by a
    // liveness probe; ready once it has a profile and a broker.
    health: () => ({ ok: true, ...status() }),
    ready: () => ({ ok: twin.connected && runtime.ready, ...status() }),
  });
  const watcher = watchFile(opts.profilePath, text => void runtime.applyProfileText(text), {
    onError: err =>
      log.warn({ err: err.message, cause: String(err.cause) }, "profile watch problem"),
  });
  log.info({ profile: opts.profilePath, mqtt: opts.mqttUrl, http: http.url }, "mapper started");
  return {
    runtime,
    twin,
    http,
    watcher,
    metrics,
    async stop(): Promise<void> {
      watcher.close();
      await runtime.stop();
      await twin.close();
      await http.close();
    },
  };
}
