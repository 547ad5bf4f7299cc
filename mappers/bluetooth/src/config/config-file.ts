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

/** Parses the config text; returns every error found, with its location. */
export function parseConfigText(text: string): Parsed<MapperConfig> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { ok: false, errors: [`not valid YAML: ${(err as Error).message}`] };
  }
  if (doc === null || doc === undefined) return { ok: true, value: emptyConfig() };
  const root = asObj(doc);
  if (!root) return { ok: false, errors: ["the config file must be a YAML mapping"] };
  const errors = Object.keys(root)
    .filter(k => !TOP_KEYS.includes(k))
    .map(k => `unknown top-level key "${k}" (allowed: ${TOP_KEYS.join(", ")})`);
  const manager = asObj(root["action-manager"]) ?? {};
  const model = root["device-model-name"];
  if (model !== undefined && (typeof model !== "string" || model === "")) {
    errors.push("device-model-name: must be a non-empty string");
  }
  const actions = section(parseActions(manager.actions ?? []), "action-manager.actions", errors);
  const schedulesIn = listIn(
    pick(root, manager, "scheduler", errors),
    "schedules",
    "scheduler",
    errors,
  );
  const schedules = section(parseSchedules(schedulesIn), "scheduler.schedules", errors);
  const watcherIn = pick(root, manager, "watcher", errors) ?? {};
  const watcher = section(parseWatcher(watcherIn), "watcher", errors);
  if (errors.length || !actions || !schedules || !watcher) return { ok: false, errors };
  const config: MapperConfig = { actions, schedules, watcher };
  if (typeof model === "string") config.deviceModelName = model;
  const refErrors = checkReferences(config);
  return refErrors.length ? { ok: false, errors: refErrors } : { ok: true, value: config };
}

export async function loadConfigFile(path: string): Promise<MapperConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read config file ${path}`, { cause: err });
  }
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new Error(`invalid config file ${path}:\n  ${parsed.errors.join("\n  ")}`);
  return parsed.value;
}
