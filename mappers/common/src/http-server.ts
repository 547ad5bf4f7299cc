/**
 * `/healthz`, `/readyz` and `/metrics` for a mapper process. Liveness and readiness are kept
 * apart so a missing broker or profile makes a pod unready without the kubelet restarting it
 * in a loop (a restart fixes neither).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface HealthReport {
  ok: boolean;
  [detail: string]: unknown;
}

export interface HttpServerOptions {
  /** Default 127.0.0.1: mappers run hostNetwork, a wildcard would serve the node's LAN. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  registry: Registry;
  health: () => HealthReport;
  /** `/readyz`; without it `/readyz` answers like `/healthz`. */
  ready?: () => HealthReport;
}

export interface RunningHttpServer {
  /** The address the server listens on. */
  address: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz" || path === "/readyz") {
      const report = path === "/readyz" && opts.ready ? opts.ready() : opts.health();
      res.writeHead(report.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(report));
      return;
    }
    if (path === "/metrics") {
      opts.registry.metrics().then(
        text => {
          res.writeHead(200, { "content-type": opts.registry.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        },
      );
      return;
    }
    res.writeHead(404);
    res.end("not found\n");
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    address,
    port,
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
