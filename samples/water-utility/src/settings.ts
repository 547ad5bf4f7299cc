/** The application's settings from the environment (the sample Deployment sets them). */
import { DEFAULT_CONTROL } from "./control.js";
import type { AppSettings } from "./app.js";

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${raw}"`);
  return n;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): AppSettings {
  return {
    // The agent's Secret says tcp://, as KubeEdge configs do; mqtt.js wants mqtt://.
    mqttUrl: (env.MQTT_URL || "mqtt://127.0.0.1:1884").replace(/^tcp:\/\//, "mqtt://"),
    username: env.MQTT_USERNAME || undefined,
    password: env.MQTT_PASSWORD || undefined,
    devices: {
      level: env.LEVEL_DEVICE ?? "reservoir-level",
      pressure: env.PRESSURE_DEVICE ?? "line-pressure",
      valve: env.VALVE_DEVICE ?? "outlet-valve",
    },
    properties: { level: "level", pressure: "pressure", position: "position" },
    control: {
      ...DEFAULT_CONTROL,
      targetLevelM: number(env, "TARGET_LEVEL_M", DEFAULT_CONTROL.targetLevelM),
      minPressureBar: number(env, "MIN_PRESSURE_BAR", DEFAULT_CONTROL.minPressureBar),
    },
    intervalMs: number(env, "CONTROL_INTERVAL_MS", 2000),
  };
}
