import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/defaults.js";
import type { AgentConfig } from "../config/types.js";
import { MetaStore } from "../store/meta-store.js";
import { MetricsRegistry } from "../observability/metrics.js";
import { openDatabase } from "../store/database.js";
import { Outbox } from "../store/outbox.js";
import { Beehive } from "./context.js";
import { ModuleRunner } from "./core.js";
import type { AgentModule, ModuleContext } from "./module.js";

function runner(config: AgentConfig, bus = new Beehive()): ModuleRunner {
  const db = openDatabase(":memory:");
  return new ModuleRunner(
    {
      bus,
      config,
      nodeName: "n",
      db,
      meta: new MetaStore(db),
      outbox: new Outbox(db),
      metrics: new MetricsRegistry(),
      signal: new AbortController().signal,
    },
    pino({ level: "silent" }),
  );
}

function probe(name: string, group: string, enabled: boolean, events: string[]): AgentModule {
  return {
    name,
    group,
    enabled: () => enabled,
    async start(ctx: ModuleContext) {
      events.push(`start ${name}`);
      // The first message a module sends at start reaches a module registered after it.
      if (name === "a") ctx.send("b", { resource: "r", operation: "hello" }, 1);
    },
    async stop() {
      events.push(`stop ${name}`);
    },
  };
}

describe("ModuleRunner", () => {
  it("starts enabled modules in order, skips disabled ones, stops in reverse", async () => {
    const events: string[] = [];
    const bus = new Beehive();
    const r = runner(defaultConfig(), bus);
    r.register(probe("a", "g1", true, events));
    r.register(probe("b", "g2", true, events));
    r.register(probe("c", "g2", false, events));
    await r.start();
    expect(bus.hasModule("c")).toBe(false);
    expect(bus.groupMembers("g2")).toEqual(["b"]);
    const hello = await bus.receive("b");
    expect(hello?.router).toMatchObject({ source: "a", operation: "hello" });
    await r.stop();
    expect(events).toEqual(["start a", "start b", "stop b", "stop a"]);
    expect(bus.hasModule("a")).toBe(false);
  });

  it("refuses two modules with one name and names a module that fails to start", async () => {
    const r = runner(defaultConfig());
    r.register(probe("q", "g", true, []));
    expect(() => r.register(probe("q", "g", true, []))).toThrow(/registered twice/);
    r.register({ ...probe("x", "g", true, []), start: () => Promise.reject(new Error("boom")) });
    await expect(r.start()).rejects.toThrow(/module x failed to start/);
  });
});
