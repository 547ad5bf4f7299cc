/**
 * The twin state machine, pure: the twins a device holds + one update → the twins it holds
 * next, what to store, and what to answer. A message is applied whole or not at all, so a
 * refused update leaves nothing half-stored (KubeEdge re-reads SQLite to undo; we never write).
 *
 * Versions (KubeEdge's `expected_version`/`actual_version` `{cloud, edge}`): an edge update
 * (MQTT `twin/update`) bumps `edge` and keeps the held `cloud` whatever the message says (no
 * MQTT message can raise a cloud version); a cloud sync (the profile, never MQTT) carries the
 * versions the cloud holds and is refused when the edge holds a newer one. An update whose value timestamp or version is older
 * than what is stored is stale: mappers and networks reorder messages, and the older reading
 * must not overwrite the newer one.
 */
import type { MsgTwin, TwinDoc, TwinValue, TwinVersion } from "@kubeedge-ts/contract";
import { badRequest, conflict, ok, type Outcome, type TwinFailure } from "./result.js";
import { own, put } from "./own-keys.js";
import { validateValue } from "./validate.js";

export type TwinMap = Record<string, MsgTwin>;
type Side = "expected" | "actual";
const SIDES: readonly Side[] = ["expected", "actual"];
const VERSION_OF = { expected: "expected_version", actual: "actual_version" } as const;

/** Readings stamped further ahead than this are refused: they would block all later ones. */
export const MAX_FUTURE_SKEW_MS = 24 * 3600 * 1000;

export interface MergeContext {
  now: number;
  /** dataType per property the device model declares; they win over message metadata. */
  declaredTypes: Readonly<Record<string, string>>;
  /** Edge updates: the sender is an application granted the device (desired values count). */
  setsDesired?: boolean;
}

export interface TwinChanges {
  next: TwinMap;
  /** Twin names to insert or update in device_twin. */
  upserts: string[];
  deletes: string[];
  /** The `twin` of `twin/update/result`: what changed, without versions. */
  result: Record<string, MsgTwin | null>;
  /** The `twin` of `twin/update/document`: last and current state of each changed twin. */
  document: Record<string, TwinDoc>;
}

function copyValue(v: TwinValue): TwinValue {
  const out: TwinValue = { value: v.value };
  if (v.metadata) out.metadata = { ...v.metadata };
  return out;
}

/** A deep copy of a twin (cheaper than structuredClone on the ingest path). */
export function copyTwin(twin: MsgTwin): MsgTwin {
  const out: MsgTwin = {};
  if (twin.expected) out.expected = copyValue(twin.expected);
  if (twin.actual) out.actual = copyValue(twin.actual);
  if (twin.optional !== undefined) out.optional = twin.optional;
  if (twin.metadata) out.metadata = { ...twin.metadata };
  if (twin.expected_version) out.expected_version = { ...twin.expected_version };
  if (twin.actual_version) out.actual_version = { ...twin.actual_version };
  return out;
}

export function stripVersions(twin: MsgTwin): MsgTwin {
  const out = copyTwin(twin);
  delete out.expected_version;
  delete out.actual_version;
  return out;
}

function typeOf(
  key: string,
  current: MsgTwin | undefined,
  msg: MsgTwin,
  ctx: MergeContext,
): string {
  return own(ctx.declaredTypes, key) ?? current?.metadata?.type ?? msg.metadata?.type ?? "string";
}

function isNewer(held: TwinVersion | undefined, req: TwinVersion | undefined): boolean {
  return !!held && !!req && (held.cloud > req.cloud || held.edge > req.edge);
}

function staleTimestamp(held: TwinValue | undefined, msg: TwinValue): boolean {
  const a = held?.metadata?.timestamp;
  const b = msg.metadata?.timestamp;
  return a !== undefined && b !== undefined && b < a;
}

function emptyChanges(current: TwinMap): TwinChanges {
  return { next: { ...current }, upserts: [], deletes: [], result: {}, document: {} };
}

function recordDelete(out: TwinChanges, key: string, held: MsgTwin): void {
  delete out.next[key];
  out.deletes.push(key);
  put(out.result, key, null);
  put(out.document, key, { last: stripVersions(held), current: null });
}

function recordUpsert(
  out: TwinChanges,
  key: string,
  held: MsgTwin | undefined,
  next: MsgTwin,
): void {
  put(out.next, key, next);
  out.upserts.push(key);
  put(out.document, key, { last: held ? stripVersions(held) : null, current: stripVersions(next) });
}

/** Checks one side of an update; undefined when it may be applied. */
function checkSide(
  key: string,
  side: Side,
  held: MsgTwin | undefined,
  msg: MsgTwin,
  ctx: MergeContext,
): TwinFailure | undefined {
  const value = msg[side];
  if (!value) return undefined;
  const type = typeOf(key, held, msg, ctx);
  const problem = value.value === "" ? undefined : validateValue(type, value.value ?? "");
  if (problem) return badRequest(`twin ${key}: ${problem}`);
  const ts = value.metadata?.timestamp;
  if (ts !== undefined && ts > ctx.now + MAX_FUTURE_SKEW_MS) {
    return badRequest(`twin ${key}: ${side} timestamp ${ts} lies in the future`);
  }
  if (isNewer(held?.[VERSION_OF[side]], msg[VERSION_OF[side]])) {
    return conflict(`twin ${key}: ${side} version is older than the one held by the edge`);
  }
  if (staleTimestamp(held?.[side], value)) {
    return conflict(`twin ${key}: ${side} value is older than the one held by the edge`);
  }
  return undefined;
}

function stamp(value: TwinValue, now: number): TwinValue {
  return { value: value.value, metadata: { timestamp: value.metadata?.timestamp ?? now } };
}

/**
 * A desired value changes at the edge only from an application granted the device. Mappers
 * (and anonymous clients) only report: KubeEdge's mapper framework echoes the desired value it
 * last saw, and a stale echo must not overwrite a newer desired value, so their `expected` is
 * left out rather than refused.
 */
function withoutDesired(msg: MsgTwin, ctx: MergeContext): MsgTwin {
  if (ctx.setsDesired || !msg.expected) return msg;
  const rest = { ...msg };
  delete rest.expected;
  delete rest.expected_version;
  return rest;
}

/** One twin of an MQTT `twin/update` (edge source). */
function edgeTwin(
  key: string,
  held: MsgTwin | undefined,
  msg: MsgTwin,
  ctx: MergeContext,
): Outcome<{ next: MsgTwin; result: MsgTwin }> {
  msg = withoutDesired(msg, ctx);
  for (const side of SIDES) {
    const refused = checkSide(key, side, held, msg, ctx);
    if (refused) return refused;
  }
  const next: MsgTwin = held ? copyTwin(held) : { optional: msg.optional ?? true };
  const result: MsgTwin = {};
  for (const side of SIDES) {
    const value = msg[side];
    if (!value) continue;
    next[side] = stamp(value, ctx.now);
    const v = VERSION_OF[side];
    const base = held?.[v] ?? { cloud: 0, edge: 0 };
    next[v] = { cloud: base.cloud, edge: Math.max(base.edge, msg[v]?.edge ?? 0) + 1 };
    result[side] = copyValue(next[side]!);
  }
  // Like KubeEdge, an optional twin may become mandatory, never the other way round.
  if (held && msg.optional === false && held.optional !== false) next.optional = false;
  next.metadata = { type: typeOf(key, held, msg, ctx) };
  result.optional = next.optional;
  result.metadata = { ...next.metadata };
  return ok({ next, result });
}

/**
 * Applies an MQTT `twin/update`. `null` deletes an optional twin. Any refused twin refuses the
 * whole message (400 bad value or type, 409 stale, nothing changed).
 */
export function applyEdgeUpdate(
  current: TwinMap,
  update: Record<string, MsgTwin | null>,
  ctx: MergeContext,
): Outcome<TwinChanges> {
  const out = emptyChanges(current);
  for (const [key, msg] of Object.entries(update)) {
    const held = own(current, key);
    if (msg === null) {
      if (!held) return badRequest(`twin ${key} does not exist and cannot be deleted`);
      if (held.optional === false) return badRequest(`twin ${key} is not optional`);
      recordDelete(out, key, held);
      continue;
    }
    const applied = edgeTwin(key, held, msg, ctx);
    if (!applied.ok) return applied;
    recordUpsert(out, key, held, applied.value.next);
    put(out.result, key, applied.value.result);
  }
  return ok(out);
}

/** One twin of a cloud sync: versions are mandatory and must not be older than the edge's. */
function cloudTwin(
  key: string,
  held: MsgTwin | undefined,
  msg: MsgTwin,
  ctx: MergeContext,
): Outcome<MsgTwin> {
  for (const side of SIDES) {
    if (msg[side] && !msg[VERSION_OF[side]]) {
      return badRequest(`twin ${key}: ${VERSION_OF[side]} is required when syncing from the cloud`);
    }
    const refused = checkSide(key, side, held, msg, ctx);
    if (refused) return refused;
  }
  const next: MsgTwin = held ? copyTwin(held) : { optional: msg.optional ?? false };
  for (const side of SIDES) {
    const value = msg[side];
    if (!value) continue;
    // An empty desired value clears it: the user removed `desired` from the Device.
    if (value.value === "") delete next[side];
    else next[side] = stamp(value, ctx.now);
    next[VERSION_OF[side]] = { ...msg[VERSION_OF[side]]! };
  }
  if (msg.optional !== undefined) next.optional = msg.optional;
  next.metadata = { type: typeOf(key, held, msg, ctx) };
  return ok(next);
}

/**
 * Applies a cloud sync: desired values from the device profile (MQTT `twin/cloud_updated` is
 * refused by the engine).
 * `null` (or metadata type "deleted") removes the twin.
 */
export function applyCloudSync(
  current: TwinMap,
  update: Record<string, MsgTwin | null>,
  ctx: MergeContext,
): Outcome<TwinChanges> {
  const out = emptyChanges(current);
  for (const [key, msg] of Object.entries(update)) {
    const held = own(current, key);
    if (msg === null || msg.metadata?.type === "deleted") {
      if (held) recordDelete(out, key, held);
      continue;
    }
    const applied = cloudTwin(key, held, msg, ctx);
    if (!applied.ok) return applied;
    recordUpsert(out, key, held, applied.value);
    put(out.result, key, stripVersions(applied.value));
  }
  return ok(out);
}

/**
 * `twin/update/delta`: every twin with a desired value, and in `delta` those whose actual
 * value differs. Undefined when nothing differs (KubeEdge publishes no delta then).
 */
export function buildDelta(
  twins: TwinMap,
): { twin: TwinMap; delta: Record<string, string> } | undefined {
  const twin: TwinMap = {};
  const delta: Record<string, string> = {};
  for (const [key, t] of Object.entries(twins)) {
    const expected = t.expected?.value;
    if (expected === undefined || expected === "" || t.metadata?.type === "deleted") continue;
    put(twin, key, stripVersions(t));
    if (t.actual?.value !== expected) put(delta, key, expected);
  }
  return Object.keys(delta).length > 0 ? { twin, delta } : undefined;
}

/** What a `twin/get` answers: all twins, without versions. */
export function publicTwins(twins: TwinMap): TwinMap {
  const out: TwinMap = {};
  for (const [key, t] of Object.entries(twins)) {
    if (t.metadata?.type !== "deleted") put(out, key, stripVersions(t));
  }
  return out;
}
