/**
 * TLS bootstrap end to end against the shared control plane: `kubeedge-ts token create` →
 * `kubeedge-edge join` → the agent runs with a certificate the cluster issued through a CSR →
 * `kubeedge-edge reset`; and every bad join input refused with nothing written or created.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@kubeedge-ts/testkit";
import { layout } from "../../local/control-plane/index.js";
import { AgentProcess } from "../edge-agent/agent.js";
import { eventually, testCluster } from "../harness.js";
import { createToken, kubeedgeEdge, startImpostor } from "./fixtures.js";

const cluster = testCluster();
const scratch = mkdtempSync(join(tmpdir(), "kubeedge-ts-join-"));
afterAll(async () => {
  await kubeedgeEdge(["reset", "--data-dir", join(scratch, "device")]);
});

interface Csr {
  metadata: { name: string };
  spec: { username: string; signerName: string };
  status?: { conditions?: { type: string; status: string }[] };
}

async function names(resource: string, ns?: string): Promise<string[]> {
  const args = ["get", resource, "-o", "jsonpath={.items[*].metadata.name}"];
  const res = await cluster.kubectl(ns ? [...args, "-n", ns] : args);
  expect(res.code, res.stderr).toBe(0);
  return res.stdout.split(" ").filter(Boolean).sort();
}

async function csrs(): Promise<Csr[]> {
  const res = await cluster.kubectl(["get", "csr", "-o", "json"]);
  return (JSON.parse(res.stdout) as { items: Csr[] }).items;
}

async function nodeReady(node: string): Promise<boolean> {
  const res = await cluster.kubectl([
    "get",
    "node",
    node,
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
  ]);
  return res.code === 0 && res.stdout === "True";
}

function clientCertificate(kubeconfig: string): X509Certificate {
  const cfg = parse(readFileSync(kubeconfig, "utf8")) as {
    users: { user: { "client-certificate-data": string } }[];
  };
  return new X509Certificate(Buffer.from(cfg.users[0].user["client-certificate-data"], "base64"));
}

describe("kubeedge-edge join", () => {
  it("joins with a fresh token through a CSR; the agent runs; reset leaves both sides as before", async () => {
    const node = "joined-edge-1";
    const device = join(scratch, "device");
    // Other test files share the cluster and add or remove their own nodes meanwhile: compare
    // the lists without theirs, i.e. what this join could have touched.
    const nodesBefore = await names("nodes");
    const leasesBefore = await names("leases", "kube-node-lease");
    expect(nodesBefore).not.toContain(node);

    const token = await createToken(cluster.adminKubeconfig);
    expect(token.lastLine).toMatch(
      /^kubeedge-edge join --server https:\/\/\S+ --token [a-z0-9]{6}\.[a-z0-9]{16} --ca-hash sha256:[0-9a-f]{64}$/,
    );
    const joined = await kubeedgeEdge([
      "join",
      ...["--server", token.server, "--token", token.token, "--ca-hash", token.caHash],
      ...["--node-name", node, "--data-dir", device],
    ]);
    expect(joined.code, joined.stderr).toBe(0);
    const config = join(device, "config.yaml");
    expect(joined.stdout.trim().split("\n").pop()).toBe(`kubeedge-edge --config ${config}`);

    // The identity: issued by the cluster CA for system:node:<n>, key readable by root only.
    const kubeconfig = join(device, "node.kubeconfig");
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const cert = clientCertificate(kubeconfig);
    const ca = new X509Certificate(readFileSync(layout(cluster.dir).caCert));
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subject).toContain(`CN=system:node:${node}`);
    expect(cert.subject).toContain("O=system:nodes");
    const tokenId = token.token.split(".")[0];
    const csr = (await csrs()).find(c => c.spec.username === `system:bootstrap:${tokenId}`);
    expect(csr?.spec.signerName).toBe("kubernetes.io/kube-apiserver-client-kubelet");
    expect(csr?.status?.conditions).toContainEqual(
      expect.objectContaining({ type: "Approved", status: "True" }),
    );

    const mqttPort = await freePort();
    const agent = AgentProcess.cli([
      ...["--config", config, "--healthz-port", "0", "--remote-runtime-endpoint", ""],
      ...["--mqtt-internal-server", `tcp://127.0.0.1:${mqttPort}`],
    ]);
    try {
      await agent.healthPort();
      await eventually(`node ${node} Ready`, () => nodeReady(node), 60_000, 250);
    } finally {
      await agent.kill("SIGTERM");
    }

    const reset = await kubeedgeEdge(["reset", "--data-dir", device]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).not.toContain("warning");
    expect(existsSync(device)).toBe(false);
    const ours = (list: string[], before: string[]) =>
      list.filter(n => n === node || before.includes(n));
    expect(ours(await names("nodes"), nodesBefore)).toEqual(ours(nodesBefore, nodesBefore));
    expect(ours(await names("leases", "kube-node-lease"), leasesBefore)).toEqual(
      leasesBefore.filter(n => n !== node),
    );
  });

  describe("refuses, writing nothing on the device and creating nothing in the cluster", () => {
    const cases: {
      what: string;
      message: RegExp;
      flags: () => Promise<{ server: string; token: string; caHash: string; node?: string }>;
    }[] = [
      {
        what: "a wrong token secret",
        message: /wrong token/,
        flags: async () => {
          const t = await createToken(cluster.adminKubeconfig);
          return { ...t, token: `${t.token.split(".")[0]}.${"0".repeat(16)}` };
        },
      },
      {
        what: "a token the cluster does not know",
        message: /token zzzzzz is unknown to the cluster or has expired/,
        flags: async () => ({
          ...(await createToken(cluster.adminKubeconfig)),
          token: `zzzzzz.${"1".repeat(16)}`,
        }),
      },
      {
        what: "an expired token",
        message: /is unknown to the cluster or has expired/,
        flags: async () => {
          const t = await createToken(cluster.adminKubeconfig, "1s");
          const id = t.token.split(".")[0];
          // The tokencleaner deletes it and the bootstrapsigner withdraws its signature.
          await eventually(
            `token ${id} cleaned up`,
            async () => {
              const res = await cluster.kubectl([
                "get",
                "secret",
                "-n",
                "kube-system",
                `bootstrap-token-${id}`,
              ]);
              return res.code !== 0;
            },
            30_000,
            250,
          );
          return t;
        },
      },
      {
        what: "a wrong CA hash",
        message: /CA hash mismatch/,
        flags: async () => ({
          ...(await createToken(cluster.adminKubeconfig)),
          caHash: `sha256:${"ab".repeat(32)}`,
        }),
      },
      {
        what: "a server that is not the cluster the hash names",
        message: /does not present a TLS certificate signed by the pinned CA/,
        flags: async () => {
          const t = await createToken(cluster.adminKubeconfig);
          const impostor = await startImpostor(new URL(cluster.server));
          impostors.push(impostor);
          return { ...t, server: impostor.url };
        },
      },
      {
        what: "a node name whose Node exists with another identity",
        message: /node taken-edge already exists in the cluster with another identity/,
        flags: async () => {
          const res = await cluster.kubectl(["create", "-f", "-"], {
            input: JSON.stringify({
              apiVersion: "v1",
              kind: "Node",
              metadata: { name: "taken-edge" },
            }),
          });
          expect(res.code, res.stderr).toBe(0);
          return { ...(await createToken(cluster.adminKubeconfig)), node: "taken-edge" };
        },
      },
    ];
    const impostors: { close(): Promise<void> }[] = [];
    afterAll(async () => {
      for (const i of impostors) await i.close();
      await cluster.kubectl(["delete", "node", "taken-edge", "--ignore-not-found"]);
    });

    it.each(cases)("$what", async ({ flags, message }) => {
      const f = await flags();
      const device = join(scratch, `refused-${Math.random().toString(36).slice(2)}`);
      const nodeName = f.node ?? "refused-edge";
      const nodeBefore = await cluster.kubectl([
        "get",
        "node",
        nodeName,
        "-o",
        "jsonpath={.metadata.uid}",
      ]);
      const res = await kubeedgeEdge([
        "join",
        ...["--server", f.server, "--token", f.token, "--ca-hash", f.caHash],
        ...["--node-name", nodeName, "--data-dir", device],
        ...["--discovery-timeout", "5"],
      ]);
      expect(res.code, res.stdout).toBe(3);
      expect(res.stderr).toMatch(message);
      expect(existsSync(device)).toBe(false);
      const tokenId = f.token.split(".")[0];
      expect((await csrs()).filter(c => c.spec.username === `system:bootstrap:${tokenId}`)).toEqual(
        [],
      );
      const nodeAfter = await cluster.kubectl([
        "get",
        "node",
        nodeName,
        "-o",
        "jsonpath={.metadata.uid}",
      ]);
      expect(nodeAfter.stdout).toBe(nodeBefore.stdout);
    });
  });
});
