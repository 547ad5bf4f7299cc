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
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
      await res.body?.cancel();
      return res.status >= 200 && res.status < 400 ? "success" : "failure";
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
