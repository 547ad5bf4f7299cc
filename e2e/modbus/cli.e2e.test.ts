/** The `kubeedge-mapper-modbus` command line: flags, env, YAML config and refusals. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { binPath, startChild, freePort, eventually } from "@kubeedge-ts/testkit";

// As a user runs it: the bin npm linked, loading the built mapper.
const CLI = binPath("kubeedge-mapper-modbus");
const dir = mkdtempSync(join(tmpdir(), "modbus-cli-"));

function run(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; out: string } {
  const r = spawnSync(CLI, args, {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("kubeedge-mapper-modbus CLI", () => {
  it("documents its flags and env names in --help", () => {
    const { code, out } = run(["--help"]);
    expect(code).toBe(0);
    for (const word of [
      "--profile",
      "--mqtt",
      "--config",
      "MAPPER_PROFILE",
      "MAPPER_MQTT_URL",
      "MAPPER_MODBUS_TIMEOUT_MS",
    ]) {
      expect(out).toContain(word);
    }
  });

  it.each<[string, string[], Record<string, string>, RegExp]>([
    ["an unknown YAML key", ["--config", "unknown.yaml"], {}, /unknown setting\(s\) mqttUrl/],
    [
      "a bad env number",
      [],
      { MAPPER_HTTP_PORT: "eighty" },
      /env MAPPER_HTTP_PORT httpPort: "eighty" is not a number/,
    ],
    ["a missing config file", ["--config", "missing.yaml"], {}, /cannot read config file/],
  ])("exits 2 on %s", (_n, args, env, message) => {
    writeFileSync(join(dir, "unknown.yaml"), "mqttUrl: mqtt://x\n");
    const { code, out } = run(
      args.map(a => (a.endsWith(".yaml") ? join(dir, a) : a)),
      env,
    );
    expect(code).toBe(2);
    expect(out).toMatch(message);
  });

  it("takes settings from YAML and env, serves /healthz, and is unready without a broker", async () => {
    const httpPort = await freePort();
    const deadBroker = await freePort();
    writeFileSync(join(dir, "profile.json"), JSON.stringify({ deviceInstances: [] }));
    writeFileSync(
      join(dir, "config.yaml"),
      `httpHost: 127.0.0.1\nhttpPort: ${httpPort}\nlogLevel: warn\n`,
    );
    const child = startChild(
      CLI,
      ["--config", join(dir, "config.yaml"), "--mqtt", `mqtt://127.0.0.1:${deadBroker}`],
      {
        env: { ...process.env, MAPPER_PROFILE: join(dir, "profile.json") },
      },
    );
    try {
      const url = `http://127.0.0.1:${httpPort}`;
      const health = await eventually(
        "healthz",
        async () =>
          (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200 || undefined,
        30_000,
      );
      expect(health).toBe(true);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ok: false, mqtt: false, profileLoaded: true });
      // logLevel warn from the YAML file: the info lines ("mapper started") are gone.
      expect(child.output()).not.toContain('"level":30');
    } finally {
      await child.stop();
    }
    expect(child.proc.exitCode ?? child.proc.signalCode).toBe(0);
  });
});
