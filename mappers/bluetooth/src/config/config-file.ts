/**
 * The `--config` YAML file (seeds' manual 31.4.1). The manual's full example indents
 * `scheduler:` and `watcher:` under `action-manager:` while its per-module sections put them at
 * the top level; both layouts are accepted, but not both at once. The `mqtt:` section is read
 * for compatibility and ignored: the broker comes from `--mqtt`.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { parseActions, parseSchedules, parseWatcher, type Parsed } from "./parse.js";
import { checkReferences } from "./references.js";
import { emptyConfig, type MapperConfig } from "./types.js";

type Obj = Record<string, unknown>;

const TOP_KEYS = ["mqtt", "device-model-name", "action-manager", "scheduler", "watcher"];

function asObj(v: unknown): Obj | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function pick(doc: Obj, manager: Obj, key: string, errors: string[]): unknown {
  if (doc[key] !== undefined && manager[key] !== undefined) {
    errors.push(`"${key}" is given both at the top level and under "action-manager"; keep one`);
  }
  return doc[key] ?? manager[key];
}

function section<T>(parsed: Parsed<T>, where: string, errors: string[]): T | undefined {
  if (parsed.ok) return parsed.value;
  errors.push(...parsed.errors.map(e => `${where}${e.startsWith("[") ? "" : ": "}${e}`));
  return undefined;
}

function listIn(v: unknown, key: string, where: string, errors: string[]): unknown {
  if (v === undefined || v === null) return [];
  const o = asObj(v);
  if (!o) {
    errors.push(`${where}: must be a mapping with "${key}"`);
    return [];
  }
  return o[key] ?? [];
}

/** The whole file: the mapper configuration, plus the mapper settings it may also carry. */
export interface ConfigFile {
  config: MapperConfig;
  /** From KubeEdge's `mqtt:` section: `internal-server` for mode 0, `server` for mode 1. */
  mqttUrl?: string;
  /** Top-level keys named in `settingKeys` (profile, httpPort, logLevel, ...). */
  settings: Record<string, unknown>;
}

function mqttUrlOf(v: unknown, errors: string[]): string | undefined {
  const o = asObj(v);
  if (v === undefined || v === null) return undefined;
  if (!o) {
    errors.push("mqtt: must be a mapping with mode, server and internal-server");
    return undefined;
  }
  const url = o.mode === 1 ? o.server : (o["internal-server"] ?? o.server);
  return typeof url === "string" && url !== "" ? url : undefined;
}

/** Parses the config text; returns every error found, with its location. */
export function parseConfigText(text: string): Parsed<MapperConfig> {
  const parsed = parseConfigFile(text);
  return parsed.ok ? { ok: true, value: parsed.value.config } : parsed;
}

function loadYaml(text: string): Parsed<Obj | undefined> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { ok: false, errors: [`not valid YAML: ${(err as Error).message}`] };
  }
  if (doc === null || doc === undefined) return { ok: true, value: undefined };
  const root = asObj(doc);
  return root
    ? { ok: true, value: root }
    : { ok: false, errors: ["the config file must be a YAML mapping"] };
}

function topLevelErrors(root: Obj, allowed: string[]): string[] {
  const errors = Object.keys(root)
    .filter(k => !allowed.includes(k))
    .map(k => `unknown top-level key "${k}" (allowed: ${allowed.join(", ")})`);
  const model = root["device-model-name"];
  if (model !== undefined && (typeof model !== "string" || model === "")) {
    errors.push("device-model-name: must be a non-empty string");
  }
  return errors;
}

/** The action-manager, scheduler and watcher sections, wherever the file put them. */
function modules(root: Obj, errors: string[]): MapperConfig | undefined {
  const manager = asObj(root["action-manager"]) ?? {};
  const actions = section(parseActions(manager.actions ?? []), "action-manager.actions", errors);
  const scheduler = pick(root, manager, "scheduler", errors);
  const schedulesIn = listIn(scheduler, "schedules", "scheduler", errors);
  const schedules = section(parseSchedules(schedulesIn), "scheduler.schedules", errors);
  const watcherIn = pick(root, manager, "watcher", errors) ?? {};
  const watcher = section(parseWatcher(watcherIn), "watcher", errors);
  return actions && schedules && watcher ? { actions, schedules, watcher } : undefined;
}

export function parseConfigFile(text: string, settingKeys: string[] = []): Parsed<ConfigFile> {
  const loaded = loadYaml(text);
  if (!loaded.ok) return loaded;
  const root = loaded.value;
  if (!root) return { ok: true, value: { config: emptyConfig(), settings: {} } };
  const errors = topLevelErrors(root, [...TOP_KEYS, ...settingKeys]);
  const mqttUrl = mqttUrlOf(root.mqtt, errors);
  const config = modules(root, errors);
  if (errors.length || !config) return { ok: false, errors };
  const model = root["device-model-name"];
  if (typeof model === "string") config.deviceModelName = model;
  const refErrors = checkReferences(config);
  if (refErrors.length) return { ok: false, errors: refErrors };
  const settings = Object.fromEntries(
    Object.entries(root).filter(([k]) => settingKeys.includes(k)),
  );
  return { ok: true, value: { config, settings, ...(mqttUrl ? { mqttUrl } : {}) } };
}

export async function loadConfigFile(
  path: string,
  settingKeys: string[] = [],
): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read config file ${path}`, { cause: err });
  }
  const parsed = parseConfigFile(text, settingKeys);
  if (!parsed.ok) throw new Error(`invalid config file ${path}:\n  ${parsed.errors.join("\n  ")}`);
  return parsed.value;
}
