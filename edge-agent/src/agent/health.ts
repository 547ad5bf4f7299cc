import { createServer, type Server } from "node:http";
import { isIP, type AddressInfo } from "node:net";
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
 * The read API has no authentication, so it never serves Secrets and is served only on a
 * loopback address (on any other address it answers 403; /healthz and /metrics stay).
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
      const refusal = metaReadRefusal(kind, address);
      if (refusal) return send(403, JSON.stringify({ error: refusal }));
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

/** Whether `address` only accepts connections from this host. */
export function isLoopback(address: string): boolean {
  if (address === "localhost") return true;
  if (isIP(address) === 4) return address.startsWith("127.");
  return address === "::1" || address.startsWith("::ffff:127.");
}

/** Why `/api/meta/<kind>` is not served on `address`; undefined when it is. */
export function metaReadRefusal(kind: string, address: string): string | undefined {
  if (/^secrets?$/i.test(kind)) return "Secrets are not served by the read API";
  if (!isLoopback(address)) return "the read API is served on loopback addresses only";
  return undefined;
}
