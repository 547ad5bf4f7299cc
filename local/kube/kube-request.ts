/**
 * One raw Kubernetes API request with a kubeconfig's embedded credentials. Tests use it where
 * kubectl would first GET what an identity may only PATCH (a node's own `nodes/status`).
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { parse } from "yaml";

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

interface KubeconfigFile {
  clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
  users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
}

const decode = (b64: string): string => Buffer.from(b64, "base64").toString("utf8");

export function kubeRequest<T = unknown>(
  kubeconfig: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<KubeResponse<T>> {
  const cfg = parse(readFileSync(kubeconfig, "utf8")) as KubeconfigFile;
  const { server, "certificate-authority-data": ca } = cfg.clusters[0].cluster;
  const { "client-certificate-data": cert, "client-key-data": key } = cfg.users[0].user;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server),
      {
        method,
        ca: decode(ca),
        cert: decode(cert),
        key: decode(key),
        headers: payload
          ? { "content-type": contentType, accept: "application/json" }
          : { accept: "application/json" },
        timeout: 15_000,
      },
      res => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", c => (text += c));
        res.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (e.g. /healthz): keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on("error", reject);
    req.end(payload);
  });
}
