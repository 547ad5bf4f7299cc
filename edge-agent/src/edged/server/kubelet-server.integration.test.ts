import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeletServer } from "./kubelet-server.js";
import { servingCert } from "./serving-cert.js";

const dir = mkdtempSync(join(tmpdir(), "kubelet-server-"));
const openssl = (...args: string[]): void =>
  void execFileSync("openssl", args, { stdio: "ignore" });

/** A CA and a client certificate it signed, made with openssl. */
function clientCert(ca: string, cn: string): { cert: Buffer; key: Buffer } {
  const base = join(dir, cn.replace(/\W/g, "_"));
  openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    `/CN=${cn}/O=system:masters`,
    "-keyout",
    `${base}.key`,
    "-out",
    `${base}.csr`,
  );
  openssl(
    "x509",
    "-req",
    "-in",
    `${base}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-CAcreateserial",
    "-days",
    "1",
    "-out",
    `${base}.crt`,
  );
  return { cert: readFileSync(`${base}.crt`), key: readFileSync(`${base}.key`) };
}

function newCa(name: string): string {
  const base = join(dir, name);
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${base}.key`,
    "-out",
    `${base}.crt`,
  );
  return base;
}

let server: Awaited<ReturnType<typeof startKubeletServer>>;
let clusterCa: string;
const logDir = join(dir, "logs", "default_web_u1");

function get(
  path: string,
  client?: { cert: Buffer; key: Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path, rejectUnauthorized: false, ...(client ?? {}) },
      res => {
        let body = "";
        res.on("data", c => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  clusterCa = newCa("cluster-ca");
  mkdirSync(join(logDir, "main"), { recursive: true });
  writeFileSync(join(logDir, "main", "0.log"), "2026-11-30T21:00:00.1Z stdout F first run\n");
  writeFileSync(
    join(logDir, "main", "1.log"),
    "2026-11-30T21:01:00.1Z stdout F line 1\n2026-11-30T21:01:01.1Z stderr F line 2\n",
  );
  const tls = await servingCert(join(dir, "pki"), "edge-1", "127.0.0.1");
  server = await startKubeletServer({
    host: "127.0.0.1",
    port: 0,
    ...tls,
    clientCa: readFileSync(`${clusterCa}.crt`),
    allowedCommonName: "kube-apiserver-kubelet-client",
    podLogDirectory: (ns, pod) => (ns === "default" && pod === "web" ? logDir : undefined),
    log: pino({ level: "silent" }),
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("kubelet API for kubectl logs", () => {
  it("serves the current run's log to the apiserver's kubelet client", async () => {
    const apiserver = clientCert(clusterCa, "kube-apiserver-kubelet-client");
    expect(await get("/containerLogs/default/web/main", apiserver)).toEqual({
      status: 200,
      body: "line 1\nline 2\n",
    });
    expect(
      await get("/containerLogs/default/web/main?tailLines=1&timestamps=true", apiserver),
    ).toEqual({
      status: 200,
      body: "2026-11-30T21:01:01.1Z line 2\n",
    });
    expect(await get("/containerLogs/default/web/main?previous=true", apiserver)).toEqual({
      status: 200,
      body: "first run\n",
    });
    expect((await get("/containerLogs/default/other/main", apiserver)).status).toBe(404);
  });

  it("follows a log until the client goes", async () => {
    const apiserver = clientCert(clusterCa, "kube-apiserver-kubelet-client");
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: server.port,
          path: "/containerLogs/default/web/main?follow=true&tailLines=0",
          rejectUnauthorized: false,
          ...apiserver,
        },
        res => {
          let text = "";
          res.on("data", c => {
            text += c;
            if (text.includes("appended")) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on("error", err => (err.message.includes("aborted") ? undefined : reject(err)));
      req.end();
      setTimeout(
        () =>
          appendFileSync(
            join(logDir, "main", "1.log"),
            "2026-11-30T21:02:00.1Z stdout F appended\n",
          ),
        300,
      );
    });
    expect(body).toBe("appended\n");
  });

  it.each([
    ["no client certificate", undefined, 401],
    ["another identity signed by the cluster CA", "system:node:edge-2", 403],
  ])("refuses %s", async (_what, cn, status) => {
    const client = cn === undefined ? undefined : clientCert(clusterCa, cn);
    expect((await get("/containerLogs/default/web/main", client)).status).toBe(status);
  });

  it("refuses the right name signed by another CA", async () => {
    const other = newCa("other-ca");
    const forged = clientCert(other, "kube-apiserver-kubelet-client");
    expect((await get("/containerLogs/default/web/main", forged)).status).toBe(401);
  });
});
