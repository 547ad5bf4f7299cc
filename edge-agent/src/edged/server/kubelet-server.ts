import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import type { Logger } from "pino";
import { renderCriLog, type LogOptions } from "./cri-log.js";

export interface KubeletServerOptions {
  host: string;
  port: number;
  cert: Buffer;
  key: Buffer;
  /** CA whose signature a client certificate must carry (the cluster CA). */
  clientCa: Buffer;
  /** The only client identity served: the apiserver's kubelet client. */
  allowedCommonName: string;
  /** The pod's log directory, or undefined when no such pod runs here. */
  podLogDirectory(namespace: string, pod: string): string | undefined;
  log: Logger;
}

/** How often a followed log file is checked for new lines. */
const FOLLOW_POLL_MS = 250;

/**
 * The read-only part of kubelet's API that `kubectl logs` needs, over TLS with client
 * certificates: only a certificate the cluster CA signed, with the apiserver's kubelet-client
 * name, is served (everything else gets 401/403). Exec, attach and port-forward are not served.
 */
export async function startKubeletServer(
  opts: KubeletServerOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ca: opts.clientCa,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => handle(req, res, opts),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  opts.log.info({ host: opts.host, port }, "kubelet API listening");
  return {
    port,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function deny(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { "content-type": "text/plain" }).end(`${message}\n`);
}

function handle(req: IncomingMessage, res: ServerResponse, opts: KubeletServerOptions): void {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized)
    return deny(
      res,
      401,
      "Unauthorized: a client certificate signed by the cluster CA is required",
    );
  const cn = socket.getPeerCertificate().subject?.CN;
  if (cn !== opts.allowedCommonName)
    return deny(res, 403, `Forbidden: user ${String(cn)} may not read node logs`);
  const url = new URL(req.url ?? "/", "https://kubelet");
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (req.method !== "GET" || !m) return deny(res, 404, "Not Found");
  const [ns, pod, container] = m.slice(1).map(decodeURIComponent) as [string, string, string];
  const dir = opts.podLogDirectory(ns, pod);
  const q = url.searchParams;
  const file = dir && logFile(join(dir, container), q.get("previous") === "true");
  if (!file) return deny(res, 404, `container "${container}" in pod "${pod}" has no log here`);
  const tail = q.get("tailLines");
  const logOpts: LogOptions = {
    timestamps: q.get("timestamps") === "true",
    ...(tail !== null && /^\d+$/.test(tail) ? { tailLines: Number(tail) } : {}),
  };
  res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
  const followed = serveLog(file, logOpts, res, q.get("follow") === "true");
  req.once("close", followed);
}

/** The newest run's log file (`<n>.log`, the restart count), or the one before with `previous`. */
function logFile(containerDir: string, previous: boolean): string | undefined {
  let runs: number[];
  try {
    runs = readdirSync(containerDir)
      .map(f => /^(\d+)\.log$/.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
  } catch {
    return undefined;
  }
  const run = runs[previous ? 1 : 0];
  return run === undefined ? undefined : join(containerDir, `${run}.log`);
}

/** Writes the log, then (follow) what is appended to it until the client goes. Returns a stop function. */
function serveLog(
  file: string,
  opts: LogOptions,
  res: ServerResponse,
  follow: boolean,
): () => void {
  let offset = 0;
  let pending = "";
  let carry = "";
  const readMore = (first: boolean): void => {
    const size = statSize(file);
    if (size <= offset) return;
    const buf = Buffer.alloc(size - offset);
    const fd = openSync(file, "r");
    try {
      readSync(fd, buf, 0, buf.length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    const text = carry + buf.toString("utf8");
    const cut = text.lastIndexOf("\n") + 1;
    carry = text.slice(cut);
    const out = renderCriLog(
      text.slice(0, cut),
      first ? opts : { timestamps: opts.timestamps },
      pending,
    );
    pending = out.pending;
    if (out.lines.length > 0) res.write(out.lines.join(""));
  };
  readMore(true);
  if (!follow) {
    res.end();
    return () => undefined;
  }
  const timer = setInterval(() => readMore(false), FOLLOW_POLL_MS);
  return () => clearInterval(timer);
}

function statSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
