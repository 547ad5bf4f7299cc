import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultConfig } from "./defaults.js";
import { loadConfig } from "./load.js";
import { renderDefaultConfig, renderMinConfig } from "./render.js";
import { ConfigError } from "./validate.js";

const dir = mkdtempSync(join(tmpdir(), "edge-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const f = join(dir, `c${n++}.yaml`);
  writeFileSync(f, text);
  return f;
}

const flags = { kubeconfig: "/k/node.kubeconfig", nodeName: "edge-1", dataDir: "/d" };

describe("loadConfig", () => {
  it("runs from the three common flags with defaults for everything else", () => {
    const c = loadConfig(undefined, flags);
    expect(c.nodeName).toBe("edge-1");
    expect(c.modules.edgeHub.kubeconfig).toBe("/k/node.kubeconfig");
    expect(c.database.dataSource).toBe("/d/edge.db");
    expect(c.modules.eventBus.mqttMode).toBe("internal");
    expect(c.modules.eventBus.mqttServerInternal).toBe("tcp://127.0.0.1:1884");
    expect(c.modules.edgeHub.heartbeat).toBe(10);
  });

  it("lets flags override the file and resolves file paths relative to the file", () => {
    const f = file("nodeName: from-file\nmodules:\n  edgeHub:\n    kubeconfig: node.kc\n");
    const c = loadConfig(f, { nodeName: "from-flag", mqttInternalServer: "tcp://127.0.0.1:9999" });
    expect(c.nodeName).toBe("from-flag");
    expect(c.modules.edgeHub.kubeconfig).toBe(join(dir, "node.kc"));
    expect(c.modules.eventBus.mqttServerInternal).toBe("tcp://127.0.0.1:9999");
  });

  it.each([
    [
      "unknown field",
      "modules:\n  edgeHub:\n    heartbeats: 3\n",
      "modules.edgeHub.heartbeats",
      "unknown field",
    ],
    [
      "wrong type",
      "modules:\n  edgeHub:\n    heartbeat: fast\n",
      "modules.edgeHub.heartbeat",
      "must be a number",
    ],
    [
      "bad mode",
      "modules:\n  eventBus:\n    mqttMode: sometimes\n",
      "modules.eventBus.mqttMode",
      "must be one of internal, external, both",
    ],
    [
      "bad qos",
      "modules:\n  eventBus:\n    mqttQOS: 3\n",
      "modules.eventBus.mqttQOS",
      "must be one of 0, 1, 2",
    ],
    [
      "bad url",
      "modules:\n  eventBus:\n    mqttServerExternal: localhost\n",
      "modules.eventBus.mqttServerExternal",
      "tcp://host:port",
    ],
    [
      "zero period",
      "modules:\n  edged:\n    nodeStatusUpdateFrequency: 0\n",
      "modules.edged.nodeStatusUpdateFrequency",
      "greater than 0",
    ],
    ["bad node name", "nodeName: Edge_1\n", "nodeName", "not a valid node name"],
    [
      "bad labels",
      "modules:\n  edged:\n    labels: [a]\n",
      "modules.edged.labels",
      "mapping of strings",
    ],
    ["not a mapping", "- a\n", "(root)", "must be a mapping"],
    ["bad yaml", "a: [\n", "(yaml)", ""],
    ["wrong kind", "kind: EdgeCore\n", "kind", "must be EdgeAgent"],
  ])("fails on %s naming the field and the reason", (_name, text, field, reason) => {
    const f = file(text);
    const override = text.startsWith("nodeName") ? { ...flags, nodeName: undefined } : flags;
    let err: unknown;
    try {
      loadConfig(f, override);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const issue = (err as ConfigError).issues.find(i => i.field === field);
    expect(issue, (err as Error).message).toEqual({
      field,
      reason: expect.stringContaining(reason),
    });
    expect((err as Error).message).toContain(field);
  });

  it("requires a node name and a kubeconfig when EdgeHub is on", () => {
    expect(() => loadConfig(undefined, {})).toThrow(
      /nodeName: is required[\s\S]*kubeconfig: is required/,
    );
  });

  it("names a missing config file", () => {
    expect(() => loadConfig(join(dir, "missing.yaml"), flags)).toThrow(/cannot read config file/);
  });
});

describe("rendered configs", () => {
  it("--defaultconfig parses back to the defaults and carries comments", () => {
    const text = renderDefaultConfig();
    expect(parse(text)).toEqual(defaultConfig());
    expect(text).toContain("# internal = embedded broker");
  });

  it("--minconfig loads as a valid config", () => {
    const c = loadConfig(file(renderMinConfig()));
    expect(c.nodeName).toBe("edge-1");
    expect(c.modules.eventBus.mqttMode).toBe("internal");
  });
});
