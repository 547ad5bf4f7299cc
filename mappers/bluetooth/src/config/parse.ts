/**
 * Parses and checks the wire form of actions, schedules and the watcher. Every problem is
 * reported with its path (`[1].interval: ...`) and nothing partial is returned, so a bad
 * payload never half-applies.
 */
import {
  DEFAULT_SCHEDULE_INTERVAL_MS,
  type ActionSpec,
  type ScheduleSpec,
  type WatcherSpec,
} from "./types.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unknownKeys(o: Obj, allowed: string[], at: string): string[] {
  return Object.keys(o)
    .filter(k => !allowed.includes(k))
    .map(k => `${at}: unknown field "${k}" (allowed: ${allowed.join(", ")})`);
}

function nameOf(o: Obj, at: string, errors: string[]): string {
  const name = o.name;
  if (typeof name !== "string" || name.trim() === "") {
    errors.push(`${at}.name: must be a non-empty string`);
    return "";
  }
  return name;
}

function stringList(v: unknown, at: string, errors: string[]): string[] {
  if (!Array.isArray(v) || v.some(a => typeof a !== "string" || a.trim() === "")) {
    errors.push(`${at}: must be a list of action names`);
    return [];
  }
  return v as string[];
}

function duplicates(names: string[], what: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    const key = n.toLowerCase();
    if (seen.has(key)) out.push(`${what} "${n}" appears more than once`);
    seen.add(key);
  }
  return out;
}

function listOf<T>(
  input: unknown,
  what: string,
  item: (o: Obj, at: string, errors: string[]) => T,
): Parsed<T[]> {
  if (!Array.isArray(input)) return { ok: false, errors: [`expected a JSON array of ${what}`] };
  const errors: string[] = [];
  const out = input.map((raw, i) => {
    if (!isObj(raw)) {
      errors.push(`[${i}]: must be an object`);
      return undefined;
    }
    return item(raw, `[${i}]`, errors);
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: out as T[] };
}

const ACTION_KEYS = ["name", "perform-immediately", "device-property-name"];

function action(o: Obj, at: string, errors: string[]): ActionSpec {
  errors.push(...unknownKeys(o, ACTION_KEYS, at));
  const name = nameOf(o, at, errors);
  const perform = o["perform-immediately"] ?? false;
  if (typeof perform !== "boolean") errors.push(`${at}.perform-immediately: must be true or false`);
  const propertyName = o["device-property-name"];
  if (typeof propertyName !== "string" || propertyName === "") {
    errors.push(`${at}.device-property-name: must name a property of the device model`);
  }
  return { name, performImmediately: perform === true, propertyName: String(propertyName ?? "") };
}

/** `action-manager/create` payload and the file's `action-manager.actions`. */
export function parseActions(input: unknown): Parsed<ActionSpec[]> {
  const parsed = listOf(input, "actions", action);
  if (!parsed.ok) return parsed;
  const dups = duplicates(
    parsed.value.map(a => a.name),
    "action",
  );
  return dups.length ? { ok: false, errors: dups } : parsed;
}

/** `action-manager/delete` and `scheduler/delete` payloads: `[{"name": "..."}]`. */
export function parseNames(input: unknown, what: string): Parsed<string[]> {
  return listOf(input, `{"name": ...} objects naming ${what}`, (o, at, errors) => {
    errors.push(...unknownKeys(o, ["name"], at));
    return nameOf(o, at, errors);
  });
}

const SCHEDULE_KEYS = ["name", "interval", "occurrence-limit", "actions"];

function nonNegativeInt(v: unknown, fallback: number, at: string, errors: string[]): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    errors.push(`${at}: must be a non-negative integer`);
    return fallback;
  }
  return v;
}

function schedule(o: Obj, at: string, errors: string[]): ScheduleSpec {
  errors.push(...unknownKeys(o, SCHEDULE_KEYS, at));
  const interval = nonNegativeInt(o.interval, 0, `${at}.interval`, errors);
  return {
    name: nameOf(o, at, errors),
    interval: interval === 0 ? DEFAULT_SCHEDULE_INTERVAL_MS : interval,
    occurrenceLimit: nonNegativeInt(o["occurrence-limit"], 0, `${at}.occurrence-limit`, errors),
    actions: stringList(o.actions, `${at}.actions`, errors),
  };
}

/** `scheduler/create` payload and the file's `scheduler.schedules`. */
export function parseSchedules(input: unknown): Parsed<ScheduleSpec[]> {
  const parsed = listOf(input, "schedules", schedule);
  if (!parsed.ok) return parsed;
  const dups = duplicates(
    parsed.value.map(s => s.name),
    "schedule",
  );
  return dups.length ? { ok: false, errors: dups } : parsed;
}

/** `watcher/create` payload and the file's `watcher`: `{"device-twin-attributes": [...]}`. */
export function parseWatcher(input: unknown): Parsed<WatcherSpec> {
  if (!isObj(input)) return { ok: false, errors: ['expected {"device-twin-attributes": [...]}'] };
  const errors = unknownKeys(input, ["device-twin-attributes"], "watcher");
  const list = input["device-twin-attributes"] ?? [];
  const parsed = listOf(list, "device twin attributes", (o, at, errs) => {
    errs.push(...unknownKeys(o, ["device-property-name", "actions"], at));
    const propertyName = o["device-property-name"];
    if (typeof propertyName !== "string" || propertyName === "") {
      errs.push(`${at}.device-property-name: must name a twin property`);
    }
    return {
      propertyName: String(propertyName ?? ""),
      actions: stringList(o.actions, `${at}.actions`, errs),
    };
  });
  if (!parsed.ok) errors.push(...parsed.errors.map(e => `device-twin-attributes${e}`));
  if (parsed.ok) {
    errors.push(
      ...duplicates(
        parsed.value.map(a => a.propertyName),
        "device-property-name",
      ),
    );
  }
  return errors.length || !parsed.ok
    ? { ok: false, errors }
    : { ok: true, value: { attributes: parsed.value } };
}
