/** Minimal HTTP(S) probes used while the control plane starts (no client library needed). */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface TlsClient {
  ca: string;
  cert: string;
  key: string;
}

export interface ProbeResult {
  status: number;
  body: string;
}

export function get(url: string, tls?: TlsClient, timeoutMs = 2_000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(
      u,
      { method: "GET", timeout: timeoutMs, ...(tls ?? {}) },
      res => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", c => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${url}`)));
    req.on("error", reject);
    req.end();
  });
}
