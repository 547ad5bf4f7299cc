import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { MetaStore } from "../store/meta-store.js";
import type { MetricsRegistry } from "../observability/metrics.js";

export interface HealthSources {
  metrics: MetricsRegistry;
  meta: MetaStore;
  /** Extra facts shown on /healthz (e.g. cloud connection). */
  status: () => Record<string, unknown>;
}

/**
 * Local HTTP server: `/healthz` (the agent runs; cloud connectivity is reported, not required,
 * because an offline edge node is healthy), `/metrics` (Prometheus text), and read-only
 * `/api/meta/<kind>[/<namespace>[/<name>]]` answered from SQLite, for operators and tests.
 */
export async function startHealthServer(
  address: string,
  port: number,
  sources: HealthSources,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (code: number, body: string, type = "application/json"): void => {
      res.writeHead(code, { "content-type": type });
      res.end(body);
    };
    if (req.method !== "GET") return send(405, JSON.stringify({ error: "method not allowed" }));
    if (url.pathname === "/healthz") {
      return send(200, JSON.stringify({ status: "ok", ...sources.status() }));
    }
    if (url.pathname === "/metrics") {
      return send(200, sources.metrics.render(), "text/plain; version=0.0.4");
    }
    const m = /^\/api\/meta\/([A-Za-z]+)(?:\/([^/]*))?(?:\/([^/]+))?$/.exec(url.pathname);
    if (m) {
      const [, kind, ns, name] = m as unknown as [string, string, string?, string?];
      if (name !== undefined) {
        const o = sources.meta.get(kind, ns ?? "", name);
        return o ? send(200, JSON.stringify(o)) : send(404, JSON.stringify({ error: "not found" }));
      }
      return send(200, JSON.stringify(sources.meta.list(kind, ns || undefined)));
    }
    send(404, JSON.stringify({ error: "not found" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
