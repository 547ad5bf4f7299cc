import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { MetricsRegistry } from "../observability/metrics.js";
import { openDatabase } from "../store/database.js";
import { MetaStore } from "../store/meta-store.js";
import { isLoopback, startHealthServer } from "./health.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise(r => s.close(r));
});

/** A health server over a real SQLite meta store holding one Secret and one ConfigMap. */
async function serve(address: string): Promise<number> {
  const meta = new MetaStore(openDatabase(":memory:"));
  const md = (name: string) => ({ name, namespace: "default", uid: name, resourceVersion: "1" });
  meta.put("Secret", { kind: "Secret", metadata: md("db-password"), data: { pw: "aHVudGVyMg==" } });
  meta.put("ConfigMap", { kind: "ConfigMap", metadata: md("settings"), data: { a: "b" } });
  const { server, port } = await startHealthServer(address, 0, {
    metrics: new MetricsRegistry(),
    meta,
    status: () => ({}),
  });
  servers.push(server);
  return port;
}

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, text: await res.text() };
}

describe("the agent's local read API", () => {
  it.each([
    "/api/meta/Secret",
    "/api/meta/Secret/default",
    "/api/meta/Secret/default/db-password",
    "/api/meta/secret/default/db-password",
    "/api/meta/Secrets",
  ])("a local process cannot read the node's Secrets through %s", async path => {
    const port = await serve("127.0.0.1");
    const res = await get(port, path);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain("aHVudGVyMg==");
  });

  it("still serves other kinds on loopback", async () => {
    const port = await serve("127.0.0.1");
    const res = await get(port, "/api/meta/ConfigMap/default/settings");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ name: "settings", namespace: "default" });
  });

  it("a host on the node's network cannot read the cache when the server binds 0.0.0.0", async () => {
    const port = await serve("0.0.0.0");
    expect((await get(port, "/api/meta/ConfigMap/default/settings")).status).toBe(403);
    expect((await get(port, "/healthz")).status).toBe(200);
    expect((await get(port, "/metrics")).status).toBe(200);
  });

  it.each([
    ["127.0.0.1", true],
    ["127.3.4.5", true],
    ["::1", true],
    ["localhost", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.20", false],
    ["127.example.com", false],
  ])("isLoopback(%s) = %s", (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});
