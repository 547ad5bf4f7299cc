/**
 * HTTPS calls of `join` and certificate rotation: before it trusts the CA (insecure, one read of
 * cluster-info), then with the token or the node's certificate.
 */
import { request } from "node:https";

export interface JoinRequest {
  method?: string;
  /** Trusted CA; absent with `insecure` only (the first cluster-info read). */
  ca?: string;
  insecure?: boolean;
  bearer?: string;
  /** Client certificate and key (PEM), for a node renewing its certificate. */
  cert?: string;
  key?: string;
  body?: unknown;
  timeoutMs?: number;
}

export interface JoinResponse<T> {
  status: number;
  body: T;
}

export function httpsJson<T>(url: string, opts: JoinRequest): Promise<JoinResponse<T>> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (payload) headers["content-type"] = "application/json";
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? "GET",
        headers,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        rejectUnauthorized: !opts.insecure,
        timeout: timeoutMs,
      },
      res => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", c => (text += c));
        res.on("end", () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text for the message
          }
          resolve({ status: res.statusCode ?? 0, body: body as T });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}
