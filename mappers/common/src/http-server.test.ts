import { describe, expect, it } from "vitest";
import { startHttpServer } from "./http-server.js";
import { createMapperMetrics } from "./metrics.js";

describe("startHttpServer", () => {
  it("does not serve a hostNetwork mapper's /metrics on the node's network unless asked", async () => {
    const metrics = createMapperMetrics();
    const srv = await startHttpServer({
      port: 0,
      registry: metrics.registry,
      health: () => ({ ok: true }),
    });
    try {
      expect(srv.address).toBe("127.0.0.1");
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
    } finally {
      await srv.close();
    }
  });

  it("answers /readyz from its own callback", async () => {
    const metrics = createMapperMetrics();
    const srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      registry: metrics.registry,
      health: () => ({ ok: true }),
      ready: () => ({ ok: false, mqtt: false }),
    });
    try {
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${srv.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ok: false, mqtt: false });
    } finally {
      await srv.close();
    }
  });

  it("serves /healthz from the health callback and Prometheus /metrics", async () => {
    const metrics = createMapperMetrics();
    let ok = false;
    const srv = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      registry: metrics.registry,
      health: () => ({ ok }),
    });
    try {
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(503);
      ok = true;
      const health = await fetch(`${srv.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      metrics.reads.inc({ protocol: "modbus", result: "ok" });
      const text = await (await fetch(`${srv.url}/metrics`)).text();
      expect(text).toContain('kubeedge_mapper_reads_total{protocol="modbus",result="ok"} 1');
      expect(text).toContain("process_resident_memory_bytes");
      expect((await fetch(`${srv.url}/readyz`)).status).toBe(200); // falls back to health
      expect((await fetch(`${srv.url}/nope`)).status).toBe(404);
    } finally {
      await srv.close();
    }
  });
});
