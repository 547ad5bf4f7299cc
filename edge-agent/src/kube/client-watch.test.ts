/** KubeClient.watch against a real HTTPS server: what it leaves on the session's signal. */
import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCa, signCert } from "../../../local/control-plane/pki.js";
import { KubeClient, type WatchEvent } from "./client.js";

let server: Server;
let client: KubeClient;

beforeAll(async () => {
  const ca = createCa("watch-test-ca");
  const serving = signCert(ca, {
    commonName: "127.0.0.1",
    usage: "server",
    ipAddresses: ["127.0.0.1"],
  });
  const user = signCert(ca, { commonName: "system:node:edge-1", usage: "client" });
  // Each watch gets one event, then the server ends the stream (as a watch timeout does).
  server = createServer({ key: serving.keyPem, cert: serving.certPem }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(`${JSON.stringify({ type: "ADDED", object: { metadata: { name: "p" } } })}\n`);
  });
  await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  client = new KubeClient({
    server: `https://127.0.0.1:${port}`,
    ca: Buffer.from(ca.certPem),
    cert: Buffer.from(user.certPem),
    key: Buffer.from(user.keyPem),
  });
});

afterAll(async () => {
  client.close();
  await new Promise(r => server.close(r));
});

describe("KubeClient.watch", () => {
  it("leaves no abort listener on a signal shared by many watches in a row", async () => {
    const session = new AbortController();
    const events: WatchEvent[] = [];
    for (let i = 0; i < 20; i++) {
      await client.watch("/api/v1/pods", {}, e => events.push(e), session.signal);
    }
    expect(events).toHaveLength(20);
    expect(getEventListeners(session.signal, "abort")).toHaveLength(0);
  });
});
