import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commonSettingSpecs, readConfigFile, resolveSettings } from "./settings.js";

const specs = commonSettingSpecs({ httpPort: 9100 });

describe("resolveSettings", () => {
  it("takes flags over env over file over defaults", () => {
    const r = resolveSettings(specs, {
      cli: { mqtt: "mqtt://flag:1883" },
      env: { MAPPER_MQTT_URL: "mqtt://env:1883", MAPPER_PROFILE: "/env/profile.json" },
      file: { mqtt: "mqtt://file:1883", profile: "/file/profile.json", logLevel: "debug" },
    });
    expect(r).toMatchObject({
      ok: true,
      value: {
        mqtt: "mqtt://flag:1883",
        profile: "/env/profile.json",
        logLevel: "debug",
        httpPort: 9100,
      },
    });
  });

  it("does not put a hostNetwork mapper's /metrics on the node's network by default", () => {
    expect(resolveSettings(specs, {})).toMatchObject({ value: { httpHost: "127.0.0.1" } });
    expect(resolveSettings(specs, { env: { MAPPER_HTTP_HOST: "0.0.0.0" } })).toMatchObject({
      value: { httpHost: "0.0.0.0" },
    });
    expect(resolveSettings(specs, { cli: { httpHost: "10.0.0.5" } })).toMatchObject({
      value: { httpHost: "10.0.0.5" },
    });
  });

  it("defaults the profile path to /opt/kubeedge/deviceProfile.json", () => {
    expect(resolveSettings(specs, {})).toMatchObject({
      value: { profile: "/opt/kubeedge/deviceProfile.json" },
    });
  });

  it.each([
    [
      { env: { MAPPER_HTTP_PORT: "eighty" } },
      'env MAPPER_HTTP_PORT httpPort: "eighty" is not a number',
    ],
    [{ file: { httpPort: "x" } }, 'config file httpPort: "x" is not a number'],
    [{ file: { mqttUrl: "x" } }, "config file: unknown setting(s) mqttUrl"],
  ])("refuses bad input %j", (src, reason) => {
    expect(resolveSettings(specs, src)).toEqual({ ok: false, reason });
  });

  it("coerces numbers from env strings", () => {
    expect(resolveSettings(specs, { env: { MAPPER_HTTP_PORT: "0" } })).toMatchObject({
      value: { httpPort: 0 },
    });
  });
});

describe("readConfigFile", () => {
  it("reads YAML and refuses a non-mapping", async () => {
    const dir = mkdtempSync(join(tmpdir(), "settings-"));
    writeFileSync(join(dir, "ok.yaml"), "mqtt: mqtt://x:1\nhttpPort: 1234\n");
    writeFileSync(join(dir, "bad.yaml"), "- a\n- b\n");
    await expect(readConfigFile(join(dir, "ok.yaml"))).resolves.toEqual({
      mqtt: "mqtt://x:1",
      httpPort: 1234,
    });
    await expect(readConfigFile(join(dir, "bad.yaml"))).rejects.toThrow(/not a mapping/);
    await expect(readConfigFile(join(dir, "missing.yaml"))).rejects.toThrow(/cannot read/);
  });
});
