import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/defaults.js";
import { loadOrCreateMqttCredentials } from "../../eventbus/credentials.js";
import { isReservedMqttSecret, mqttSecretResolver } from "./mqtt-secrets.js";

const dir = mkdtempSync(join(tmpdir(), "mqtt-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(mode: "internal" | "external" = "internal") {
  const c = defaultConfig();
  c.dataDir = dir;
  c.modules.eventBus.mqttMode = mode;
  c.modules.eventBus.applications = [
    { name: "valve", namespace: "plant", writes: ["valve-1"] },
    { name: "dash", writes: [] },
  ];
  return c;
}

const text = (d: Record<string, Buffer> | undefined) =>
  d && Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.toString()]));

describe("the reserved MQTT Secrets", () => {
  const resolve = mqttSecretResolver(config());
  const creds = () => loadOrCreateMqttCredentials(dir, ["valve", "dash"]);

  it("hands the node's mapper login to a pod in any namespace", () => {
    expect(text(resolve("anywhere", "kubeedge-mqtt-mapper")?.data)).toEqual({
      username: "mapper",
      password: creds().mapper.password,
      url: "tcp://127.0.0.1:1884",
    });
  });

  it("hands an application's login only to pods of its namespace", () => {
    expect(text(resolve("plant", "kubeedge-mqtt-app-valve")?.data)?.password).toBe(
      creds().applications.valve!.password,
    );
    expect(resolve("other", "kubeedge-mqtt-app-valve")).toBeUndefined();
    expect(resolve("other", "kubeedge-mqtt-app-dash")).toBeDefined();
  });

  it("a pod naming an application the config does not declare gets nothing", () => {
    expect(resolve("plant", "kubeedge-mqtt-app-intruder")).toBeUndefined();
  });

  it("gives nothing when there is no embedded broker", () => {
    expect(mqttSecretResolver(config("external"))("x", "kubeedge-mqtt-mapper")).toBeUndefined();
  });

  it("reserves only its own names", () => {
    expect(isReservedMqttSecret("kubeedge-mqtt-mapper")).toBe(true);
    expect(isReservedMqttSecret("kubeedge-mqtt-app-x")).toBe(true);
    expect(isReservedMqttSecret("my-secret")).toBe(false);
  });
});
