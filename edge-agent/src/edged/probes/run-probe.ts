import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { Cri } from "../cri/client.js";
import type { ContainerSpec, Probe } from "../pod.js";
import type { ProbeResult } from "./probe-state.js";

/** A named port ("http") resolved against the container's ports, as kubelet does. */
export function resolvePort(port: number | string, c: ContainerSpec): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find(p => p.name === port)?.containerPort;
}

/** Runs one probe: exec through CRI ExecSync, httpGet (2xx/3xx), or a TCP connect. */
export async function runProbe(
  p: Probe,
  c: ContainerSpec,
  target: { cri: Cri; containerId: string; podIP: string; timeoutSeconds: number },
): Promise<ProbeResult> {
  try {
    if (p.exec) {
      const r = await target.cri.execSync(
        target.containerId,
        p.exec.command,
        target.timeoutSeconds,
      );
      return r.exitCode === 0 ? "success" : "failure";
    }
    const timeoutMs = target.timeoutSeconds * 1000;
    if (p.httpGet) {
      const port = resolvePort(p.httpGet.port, c);
      const scheme = (p.httpGet.scheme ?? "HTTP").toLowerCase();
      const host = p.httpGet.host || target.podIP;
      const url = `${scheme}://${host}:${port}${p.httpGet.path ?? "/"}`;
      const status = await httpGetStatus(url, timeoutMs);
      return status >= 200 && status < 400 ? "success" : "failure";
    }
    if (p.tcpSocket) {
      const port = resolvePort(p.tcpSocket.port, c);
      return await tcpConnect(p.tcpSocket.host || target.podIP, port ?? 0, timeoutMs);
    }
    return "success";
  } catch {
    return "failure";
  }
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise(resolve => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (r: ProbeResult): void => {
      socket.destroy();
      resolve(r);
    };
    socket.once("connect", () => done("success"));
    socket.once("timeout", () => done("failure"));
    socket.once("error", () => done("failure"));
  });
}

/**
 * node:http rather than fetch: fetch's HTTP parser is WebAssembly, which the agent's bin turns
 * off (--no-expose-wasm), so the first httpGet probe would crash the agent. Like kubelet, an
 * HTTPS probe does not verify the certificate and redirects are not followed.
 */
function httpGetStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = send(url, { method: "GET", timeout: timeoutMs, rejectUnauthorized: false }, res => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once("timeout", () => req.destroy(new Error("probe timed out")));
    req.once("error", reject);
    req.end();
  });
}
