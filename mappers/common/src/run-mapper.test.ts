/**
 * Liveness must not depend on the broker: a kubelet restarting the mapper during a broker outage
 * fixes nothing. /healthz answers 200 while the broker is away, /readyz 503 until it is back.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, eventually } from "@kubeedge-ts/testkit";
import { createLogger } from "./logger.js";
import { pollingDriver } from "./polling-driver.js";
import { runMapper, type RunningMapper } from "./run-mapper.js";

const driver = pollingDriver<{ key: string }>({
  protocol: "memory",
  schemas: { visitorConfig: { type: "object" } },
  open: () => ({ read: async () => 1, write: async () => {}, close: async () => {} }),
  classify: err => ({ state: "offline", reason: String(err) }),
});

describe("runMapper health endpoints", () => {
  let dir: string;
  let mapper: RunningMapper<{ key: string }> | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "run-mapper-"));
  });
  afterAll(async () => {
    await mapper?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is alive but not ready while no broker answers", async () => {
    const profile = join(dir, "deviceProfile.json");
    writeFileSync(profile, JSON.stringify({ deviceInstances: [], deviceModels: [] }));
    // Nothing listens on a port just released by the OS: the broker is "down".
    const mqttUrl = `mqtt://127.0.0.1:${await freePort()}`;
    mapper = await runMapper({
      driver,
      log: createLogger("t", "silent"),
      profilePath: profile,
      mqttUrl,
      httpHost: "127.0.0.1",
      httpPort: 0,
    });
    const m = mapper;
    await eventually("profile applied", () => m.runtime.ready);
    const live = await fetch(`${m.http.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ ok: true, mqtt: false, profileLoaded: true });
    const ready = await fetch(`${m.http.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, mqtt: false, profileLoaded: true });
  });
});
