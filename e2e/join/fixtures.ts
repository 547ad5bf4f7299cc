/**
 * What the join e2e tests need besides the shared control plane: the two CLIs as a user runs
 * them (exit code and output), and an impostor apiserver — a TLS endpoint with a certificate of
 * another CA that relays to the real apiserver, so everything it serves is genuine except who
 * it is.
 */
import { connect as tlsConnect, createServer, type Server } from "node:tls";
import { fileURLToPath } from "node:url";
import { binPath, runToEnd, type RunResult } from "@kubeedge-ts/testkit";
import { createCa, signCert } from "../../local/control-plane/pki.js";

const KUBEEDGE_TS = fileURLToPath(new URL("../../bin/kubeedge-ts.mjs", import.meta.url));

export type Run = RunResult;

export const kubeedgeTs = (args: string[]): Promise<Run> =>
  runToEnd(process.execPath, [KUBEEDGE_TS, ...args]);

export const kubeedgeEdge = (args: string[]): Promise<Run> =>
  runToEnd(binPath("kubeedge-edge"), args);

/** `token create`'s last line, split into the join flags. */
export function joinFlags(lastLine: string): { server: string; token: string; caHash: string } {
  const m = /^kubeedge-edge join --server (\S+) --token (\S+) --ca-hash (\S+)$/.exec(lastLine);
  if (!m) throw new Error(`not a join line: ${lastLine}`);
  return { server: m[1], token: m[2], caHash: m[3] };
}

export async function createToken(kubeconfig: string, ttl = "1h") {
  const res = await kubeedgeTs(["token", "create", "--kubeconfig", kubeconfig, "--ttl", ttl]);
  if (res.code !== 0) throw new Error(`token create failed: ${res.stderr}`);
  const lines = res.stdout.trim().split("\n");
  return { lastLine: lines[lines.length - 1], ...joinFlags(lines[lines.length - 1]) };
}

export interface Impostor {
  url: string;
  close(): Promise<void>;
}

export async function startImpostor(target: URL): Promise<Impostor> {
  const ca = createCa("impostor-ca");
  const cert = signCert(ca, {
    commonName: "impostor",
    usage: "server",
    ipAddresses: ["127.0.0.1"],
  });
  const server: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, client => {
    const upstream = tlsConnect({
      host: target.hostname,
      port: Number(target.port),
      rejectUnauthorized: false,
    });
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise(r => server.close(() => r())),
  };
}
