import { Agent, request, type RequestOptions } from "node:https";
import type { IncomingMessage } from "node:http";
import type { Credentials } from "./kubeconfig.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A failure to reach the apiserver at all (refused, reset, timeout, TLS). */
export class ConnectionError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "ConnectionError";
  }
}

export interface RequestArgs {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
}

export interface WatchEvent<T = KubeObject> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface ObjectList<T = KubeObject> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/**
 * A minimal Kubernetes REST client over node:https with the node's client certificate. The
 * agent needs a dozen calls; a full client library would triple its idle memory.
 */
export class KubeClient {
  private agent: Agent;

  constructor(
    public creds: Credentials,
    private readonly defaultTimeoutMs = 10_000,
  ) {
    this.agent = tlsAgent(creds);
  }

  /** Uses new credentials (a renewed certificate) for the requests that follow. */
  reload(creds: Credentials): void {
    const old = this.agent;
    this.creds = creds;
    this.agent = tlsAgent(creds);
    // Requests in flight (long watches) finish on their connection; idle ones close now and
    // busy ones when they come back, so a renewed certificate does not cut the cloud link.
    for (const sockets of Object.values(old.freeSockets))
      for (const s of sockets ?? []) s.destroy();
    old.on("free", socket => socket.destroy());
  }

  async get<T>(path: string, query?: RequestArgs["query"]): Promise<T> {
    return (await this.request<T>("GET", path, { query })) as T;
  }

  async request<T = unknown>(method: string, path: string, args: RequestArgs = {}): Promise<T> {
    const res = await this.send(method, path, args);
    const text = await readBody(res);
    const parsed = text ? safeJson(text) : undefined;
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return parsed as T;
    throw toApiError(method, path, status, parsed);
  }

  /**
   * Opens a watch and calls `onEvent` per event. Resolves when the server ends the stream
   * (watch timeout) or `signal` aborts; rejects on connection loss or a non-2xx answer.
   */
  async watch(
    path: string,
    query: RequestArgs["query"],
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const res = await this.send("GET", path, { query: { ...query, watch: true } }, signal, 0);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const text = await readBody(res);
      throw toApiError("WATCH", path, status, safeJson(text));
    }
    await new Promise<void>((resolve, reject) => {
      let buffer = "";
      // An error thrown by onEvent (e.g. 410 Gone in an ERROR event) ends the watch with
      // that error, not as a connection failure.
      let failure: unknown;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (failure !== undefined) return;
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === "") continue;
          try {
            onEvent(JSON.parse(line) as WatchEvent);
          } catch (error) {
            failure = error;
            res.destroy();
            return;
          }
        }
      });
      res.on("end", () => (failure === undefined ? resolve() : reject(failure)));
      res.on("close", () => {
        if (failure !== undefined) reject(failure);
        else if (signal.aborted) resolve();
        else if (!res.complete) reject(new ConnectionError(`watch ${path} broke`, undefined));
        else resolve();
      });
      res.on("error", error => {
        if (failure !== undefined) reject(failure);
        else if (signal.aborted) resolve();
        else reject(new ConnectionError(`watch ${path} broke`, error));
      });
      // One signal serves many watches of a session (re-watch after a timeout, relist after
      // 410 Gone): each takes its listener off again, or they pile up on the signal.
      const onAbort = (): void => void res.destroy();
      signal.addEventListener("abort", onAbort, { once: true });
      res.once("close", () => signal.removeEventListener("abort", onAbort));
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    method: string,
    path: string,
    args: RequestArgs,
    signal?: AbortSignal,
    timeoutMs = args.timeoutMs ?? this.defaultTimeoutMs,
  ): Promise<IncomingMessage> {
    const url = new URL(this.creds.server + path);
    for (const [k, v] of Object.entries(args.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const payload = args.body === undefined ? undefined : JSON.stringify(args.body);
    const headers: Record<string, string> = { accept: "application/json" };
    if (payload !== undefined) {
      headers["content-type"] = args.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const options: RequestOptions = { method, agent: this.agent, headers, signal };
    return new Promise((resolve, reject) => {
      const req = request(url, options, resolve);
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      }
      req.on("error", error =>
        reject(new ConnectionError(`${method} ${path}: ${(error as Error).message}`, error)),
      );
      req.end(payload);
    });
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", c => (text += c));
    res.on("end", () => resolve(text));
    res.on("error", error => reject(new ConnectionError("response broke", error)));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toApiError(method: string, path: string, status: number, body: unknown): ApiError {
  const s = (typeof body === "object" && body ? body : {}) as { reason?: string; message?: string };
  const message = `${method} ${path}: ${status} ${s.message ?? String(body ?? "")}`.trim();
  return new ApiError(status, s.reason ?? "", message, body);
}

/** True for errors worth retrying later (apiserver away, overloaded, or racing). */
function tlsAgent(creds: Credentials): Agent {
  return new Agent({
    keepAlive: true,
    maxSockets: 64,
    ca: creds.ca,
    cert: creds.cert,
    key: creds.key,
  });
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  if (error instanceof ApiError)
    return error.status === 429 || error.status >= 500 || error.status === 409;
  return true;
}
