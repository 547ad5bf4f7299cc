/**
 * Mapper settings from three sources, highest first: command-line flags, environment variables
 * (for containers), a YAML config file, then defaults. Each setting is declared once so the
 * CLI help, the env names and the docs cannot drift apart.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { DEFAULT_PROFILE_PATH } from "@kubeedge-ts/contract";
import type { Result } from "./convert.js";

export type SettingValue = string | number | boolean;
export type Settings = Record<string, SettingValue | undefined>;

export interface SettingSpec {
  /** camelCase key used in the YAML file and in code. */
  key: string;
  env: string;
  kind: "string" | "number" | "boolean";
  default?: SettingValue;
  description: string;
}

/** The typed result of resolving `commonSettingSpecs()`; a mapper extends it with its own. */
export interface CommonMapperSettings {
  profile: string;
  mqtt: string;
  mqttUsername?: string;
  mqttPassword?: string;
  mqttClientId?: string;
  httpHost: string;
  httpPort: number;
  logLevel: string;
}

export function commonSettingSpecs(defaults: Settings = {}): SettingSpec[] {
  const specs: SettingSpec[] = [
    {
      key: "profile",
      env: "MAPPER_PROFILE",
      kind: "string",
      default: DEFAULT_PROFILE_PATH,
      description: "path of deviceProfile.json",
    },
    {
      key: "mqtt",
      env: "MAPPER_MQTT_URL",
      kind: "string",
      default: "mqtt://127.0.0.1:1883",
      description: "MQTT broker URL",
    },
    {
      key: "mqttUsername",
      env: "MAPPER_MQTT_USERNAME",
      kind: "string",
      description: "MQTT user name",
    },
    {
      key: "mqttPassword",
      env: "MAPPER_MQTT_PASSWORD",
      kind: "string",
      description: "MQTT password",
    },
    {
      key: "mqttClientId",
      env: "MAPPER_MQTT_CLIENT_ID",
      kind: "string",
      description: "MQTT client id",
    },
    {
      key: "httpHost",
      env: "MAPPER_HTTP_HOST",
      kind: "string",
      // Mappers run hostNetwork: a wildcard address would put /metrics on the node's LAN.
      default: "127.0.0.1",
      description: "address of /healthz and /metrics (0.0.0.0 to serve them off the node)",
    },
    {
      key: "httpPort",
      env: "MAPPER_HTTP_PORT",
      kind: "number",
      default: 8080,
      description: "port of /healthz and /metrics (0 = any)",
    },
    {
      key: "logLevel",
      env: "MAPPER_LOG_LEVEL",
      kind: "string",
      default: "info",
      description: "pino log level",
    },
  ];
  return specs.map(s => (s.key in defaults ? { ...s, default: defaults[s.key] } : s));
}

/** The env variable naming the YAML config file (the `--config` flag wins over it). */
export const CONFIG_ENV = "MAPPER_CONFIG";

function toNumber(raw: unknown): number {
  if (typeof raw === "number") return raw;
  return typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
}

function toBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === "boolean") return raw;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  return undefined;
}

function coerce(spec: SettingSpec, raw: unknown, origin: string): Result<SettingValue> {
  let value: SettingValue | undefined;
  if (spec.kind === "string") {
    value = typeof raw === "string" || typeof raw === "number" ? String(raw) : undefined;
  } else if (spec.kind === "number") {
    const n = toNumber(raw);
    value = Number.isFinite(n) ? n : undefined;
  } else {
    value = toBoolean(raw);
  }
  if (value !== undefined) return { ok: true, value };
  return {
    ok: false,
    reason: `${origin} ${spec.key}: ${JSON.stringify(raw)} is not a ${spec.kind}`,
  };
}

export interface SettingSources {
  cli?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  file?: Record<string, unknown>;
}

export function resolveSettings(specs: SettingSpec[], src: SettingSources): Result<Settings> {
  const out: Settings = {};
  const unknown = Object.keys(src.file ?? {}).filter(k => !specs.some(s => s.key === k));
  if (unknown.length > 0)
    return { ok: false, reason: `config file: unknown setting(s) ${unknown.join(", ")}` };
  for (const spec of specs) {
    const candidates: [unknown, string][] = [
      [src.cli?.[spec.key], "flag"],
      [src.env?.[spec.env], `env ${spec.env}`],
      [src.file?.[spec.key], "config file"],
    ];
    const found = candidates.find(([v]) => v !== undefined && v !== "");
    if (!found) {
      out[spec.key] = spec.default;
      continue;
    }
    const value = coerce(spec, found[0], found[1]);
    if (!value.ok) return value;
    out[spec.key] = value.value;
  }
  return { ok: true, value: out };
}

export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let doc: unknown;
  try {
    doc = parseYaml(await readFile(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read config file ${path}`, { cause: err });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc))
    throw new Error(`config file ${path} is not a mapping`);
  return doc as Record<string, unknown>;
}

/** A markdown table of the settings, for READMEs and `--help`. */
export function settingsTable(specs: SettingSpec[]): string {
  const rows = specs.map(
    s => `| \`${s.key}\` | \`${s.env}\` | ${s.default ?? ""} | ${s.description} |`,
  );
  return ["| YAML key / flag | env | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}
