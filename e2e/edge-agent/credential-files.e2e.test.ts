/**
 * Issue 12: the agent notices its credential files being replaced. Its kubeconfig names a
 * client certificate and key in a directory; the test renames a freshly minted identity for
 * the same node over them (as cert-manager or kubeadm do) and the running agent switches to it
 * — before any request is refused — and keeps talking to the real apiserver, no restart.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OutboxKind, type Agent } from "@kubeedge-ts/edge-agent";
import { parse, stringify } from "yaml";
import { eventually, testCluster } from "../harness.js";
import { inProcessAgent } from "./agent.js";

const cluster = testCluster();
const NODE = "ea-cred-files-1";
const REASON = "E2ECredentialFiles";
const credsDir = mkdtempSync(join(tmpdir(), "kubeedge-ts-node-creds-"));
let agent: Agent | undefined;
let dataDir: string | undefined;

/** Renames a new file over `name`, as certificate tools replace files. */
function replace(name: string, text: string): void {
  const tmp = join(credsDir, `.${name}.new`);
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, join(credsDir, name));
}

/** Mints a new identity for the node and returns its certificate and key (PEM). */
async function mint(): Promise<{ cert: string; key: string; server: string; ca: string }> {
  type Minted = {
    clusters: { cluster: Record<string, string> }[];
    users: { user: Record<string, string> }[];
  };
  const k = parse(readFileSync(await cluster.nodeIdentity(NODE), "utf8")) as Minted;
  const pem = (b64: string | undefined): string => Buffer.from(b64 ?? "", "base64").toString();
  const { cluster: c } = k.clusters[0]!;
  const { user } = k.users[0]!;
  return {
    cert: pem(user["client-certificate-data"]),
    key: pem(user["client-key-data"]),
    server: c.server!,
    ca: pem(c["certificate-authority-data"]),
  };
}

function metric(a: Agent, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, "m").exec(a.metrics.render());
  return m ? Number(m[1]) : 0;
}

beforeAll(async () => {
  const first = await mint();
  replace("tls.crt", first.cert);
  replace("tls.key", first.key);
  replace("ca.crt", first.ca);
  replace(
    "kubeconfig",
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "c", cluster: { server: first.server, "certificate-authority": "ca.crt" } },
      ],
      users: [{ name: "u", user: { "client-certificate": "tls.crt", "client-key": "tls.key" } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
      "current-context": "x",
    }),
  );
  ({ agent, dataDir } = await inProcessAgent(cluster, NODE, undefined, () =>
    join(credsDir, "kubeconfig"),
  ));
});

afterAll(async () => {
  await agent?.stop();
  await cluster.kubectl(["delete", "events", "--field-selector", `reason=${REASON}`]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  rmSync(credsDir, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function eventDelivered(message: string): Promise<boolean> {
  const r = await cluster.kubectl([
    "get",
    "events",
    "-n",
    "default",
    "--field-selector",
    `reason=${REASON}`,
    "-o",
    "jsonpath={.items[*].message}",
  ]);
  return r.stdout.split(" ").includes(message);
}

describe("the agent's credential files", () => {
  it("a certificate renamed over the old one is used without a restart or a refused request", async () => {
    const a = agent!;
    await eventually("the agent to connect", async () => a.cloudConnected(), 60_000);
    a.outbox.enqueue(OutboxKind.Event, "before", { reason: REASON, message: "before" });
    await eventually("a report with the first identity", () => eventDelivered("before"), 30_000);
    expect(metric(a, "kubeedge_edge_credential_reloads_total")).toBe(0);

    const next = await mint();
    replace("tls.key", next.key);
    replace("tls.crt", next.cert);
    await eventually(
      "the agent to switch to the new certificate",
      async () => metric(a, "kubeedge_edge_credential_reloads_total") === 1,
      30_000,
    );

    a.outbox.enqueue(OutboxKind.Event, "after", { reason: REASON, message: "after" });
    await eventually("a report with the new identity", () => eventDelivered("after"), 30_000);
    expect(a.cloudConnected()).toBe(true);
    // Switched because the files changed, not because the apiserver refused the old ones.
    expect(metric(a, "kubeedge_edge_credential_refusals_total")).toBe(0);
  });
});
