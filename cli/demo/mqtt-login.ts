/**
 * The embedded broker's mapper login for the demo's host-process mapper, from the agent's own
 * command (`kubeedge-edge mqtt-credentials`): created before the agent starts, kept by it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { binPath } from "@kubeedge-ts/testkit";

export interface MqttLogin {
  username: string;
  password: string;
}

export function mapperLogin(dataDir: string): MqttLogin {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const out = execFileSync(
    binPath("kubeedge-edge"),
    ["mqtt-credentials", "--data-dir", dataDir, "--role", "mapper"],
    { encoding: "utf8" },
  );
  return JSON.parse(out) as MqttLogin;
}

/** The environment that hands a mapper its login (not argv: `ps` shows argv to everyone). */
export function mapperLoginEnv(login: MqttLogin): Record<string, string> {
  return { MAPPER_MQTT_USERNAME: login.username, MAPPER_MQTT_PASSWORD: login.password };
}
