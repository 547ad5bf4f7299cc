/**
 * A joined agent renews its client certificate through CSRs while it runs: new certificates
 * for the same node identity, written to its kubeconfig, without a reconnect of the cloud link.
 */
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@kubeedge-ts/testkit";
import { AgentProcess, metric } from "../edge-agent/agent.js";
import { eventually, testCluster } from "../harness.js";
import { createToken, kubeedgeEdge } from "./fixtures.js";

const cluster = testCluster();
const device = join(mkdtempSync(join(tmpdir(), "kubeedge-ts-rotation-")), "device");
afterAll(async () => {
  await kubeedgeEdge(["reset", "--data-dir", device]);
});

function serial(kubeconfig: string): string {
  const cfg = parse(readFileSync(kubeconfig, "utf8")) as {
    users: { user: { "client-certificate-data": string } }[];
  };
  const pem = Buffer.from(cfg.users[0].user["client-certificate-data"], "base64");
  return new X509Certificate(pem).serialNumber;
}

describe("certificate rotation", () => {
  it("renews the node certificate while the agent runs, keeping the cloud link", async () => {
    const node = "rotating-edge-1";
    const token = await createToken(cluster.adminKubeconfig);
    const joined = await kubeedgeEdge([
      "join",
      ...["--server", token.server, "--token", token.token, "--ca-hash", token.caHash],
      ...["--node-name", node, "--data-dir", device, "--certificate-validity", "600"],
    ]);
    expect(joined.code, joined.stderr).toBe(0);
    const config = join(device, "config.yaml");
    const kubeconfig = join(device, "node.kubeconfig");
    // A 600 s certificate renewed 590 s before expiry: a rotation about every 10 s.
    const cfg = parse(readFileSync(config, "utf8")) as {
      modules: { edgeHub: Record<string, unknown> };
    };
    cfg.modules.edgeHub.certificateRenewBeforeSeconds = 590;
    writeFileSync(config, stringify(cfg));
    const first = serial(kubeconfig);

    const agent = AgentProcess.cli([
      ...["--config", config, "--healthz-port", "0", "--remote-runtime-endpoint", ""],
      ...["--mqtt-internal-server", `tcp://127.0.0.1:${await freePort()}`],
    ]);
    try {
      const port = await agent.healthPort();
      await eventually(
        "the cloud link up",
        async () => (await metric(port, "kubeedge_edge_cloud_connected")) === 1,
        60_000,
        250,
      );
      await eventually(
        "two certificate rotations",
        async () => (await metric(port, "kubeedge_edge_certificate_rotations_total")) >= 2,
        90_000,
        500,
        () => agent.output.slice(-2000),
      );
      expect(serial(kubeconfig)).not.toBe(first);
      // Renewals are CSRs of the node itself, approved by the cluster.
      const csrs = await cluster.kubectl(["get", "csr", "-o", "json"]);
      const own = (
        JSON.parse(csrs.stdout) as {
          items: { spec: { username: string }; status?: { conditions?: { type: string }[] } }[];
        }
      ).items.filter(c => c.spec.username === `system:node:${node}`);
      expect(own.length).toBeGreaterThanOrEqual(2);
      for (const c of own) expect(c.status?.conditions?.map(x => x.type)).toContain("Approved");
      // The new certificate works, and the link never dropped.
      const before = await metric(port, "kubeedge_edge_lease_renewals_total");
      await eventually(
        "a lease renewal with the renewed certificate",
        async () => (await metric(port, "kubeedge_edge_lease_renewals_total")) > before,
        60_000,
        500,
      );
      expect(await metric(port, "kubeedge_edge_cloud_reconnects_total")).toBe(0);
      expect(await metric(port, "kubeedge_edge_cloud_connected")).toBe(1);
    } finally {
      await agent.kill("SIGTERM");
    }
  });
});
