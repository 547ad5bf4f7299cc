/**
 * Parsing and validation of `deviceProfile.json`, and selection of the devices one mapper
 * serves. Pure: no I/O, so every refusal rule is table-tested.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type {
  DeviceProfile,
  ProfileDeviceInstance,
  ProfileData,
  ProfileDeviceModel,
  ProfileProperty,
  ProfilePropertyVisitor,
  ProfileProtocol,
  ProfileTwin,
} from "@kubeedge-ts/contract";
import { cycleToMs, type Result } from "./convert.js";
import {
  deviceInstanceSchema,
  deviceModelSchema,
  documentSchema,
  propertyVisitorSchema,
  protocolSchema,
  type ProtocolSchemas,
} from "./profile-schema.js";

export interface ResolvedProperty<V> {
  name: string;
  /** The model's property, accessMode defaulted to ReadWrite as KubeEdge does. */
  property: ProfileProperty;
  visitor: ProfilePropertyVisitor;
  config: V;
  collectCycleMs: number;
  reportCycleMs: number;
}

export interface ResolvedDevice<V> {
  /** `deviceInstances[].id`: the id used in MQTT topics. */
  id: string;
  name: string;
  namespace?: string;
  model: ProfileDeviceModel;
  protocol: ProfileProtocol;
  properties: ResolvedProperty<V>[];
  twins: ProfileTwin[];
  /** KubeEdge's `data` section: properties also published as time series on `dataTopic`. */
  data?: ProfileData;
  /** Changes whenever anything this device's driver depends on changes. */
  fingerprint: string;
}

export interface DeviceProblem {
  device: string;
  field: string;
  reason: string;
}

export interface ProtocolSpec<V> {
  /** `modbus` also matches KubeEdge's older `modbus-tcp`/`modbus-rtu` spellings. */
  protocol: string;
  schemas: ProtocolSchemas<V>;
  /** Semantic checks that a schema cannot express (e.g. register limit vs dataType). */
  check?: (device: ResolvedDevice<V>) => DeviceProblem[];
  defaultCycleMs?: number;
}

export interface Selection<V> {
  devices: ResolvedDevice<V>[];
  problems: DeviceProblem[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateDocument = ajv.compile(documentSchema);
const validateInstance = ajv.compile(deviceInstanceSchema);
const validateModel = ajv.compile(deviceModelSchema);
const validateProtocol = ajv.compile(protocolSchema);
const validateVisitor = ajv.compile(propertyVisitorSchema);

/** `/visitorConfig/offset` + prefix → `propertyVisitors[0].visitorConfig.offset`. */
function fieldOf(prefix: string, error: ErrorObject): string {
  const parts = error.instancePath.split("/").filter(p => p !== "");
  if (error.keyword === "required") parts.push(String(error.params.missingProperty));
  let field = prefix;
  for (const p of parts) field += /^\d+$/.test(p) ? `[${p}]` : field === "" ? p : `.${p}`;
  return field;
}

function problemsOf(device: string, prefix: string, fn: ValidateFunction): DeviceProblem[] {
  return (fn.errors ?? []).map(e => ({
    device,
    field: fieldOf(prefix, e),
    reason: e.keyword === "required" ? "is required" : (e.message ?? e.keyword),
  }));
}

function check(device: string, prefix: string, fn: ValidateFunction, v: unknown): DeviceProblem[] {
  return fn(v) ? [] : problemsOf(device, prefix, fn);
}

/** Parses the file's text; a broken document is refused as a whole (callers keep the last one). */
export function parseProfile(text: string): Result<DeviceProfile> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  if (!validateDocument(doc)) {
    return { ok: false, reason: ajv.errorsText(validateDocument.errors, { dataVar: "profile" }) };
  }
  const p = doc as Partial<DeviceProfile>;
  return {
    ok: true,
    value: {
      deviceInstances: p.deviceInstances ?? [],
      deviceModels: p.deviceModels ?? [],
      protocols: p.protocols ?? [],
      propertyVisitors: p.propertyVisitors ?? [],
    },
  };
}

export function protocolMatches(kind: string, value: string | undefined): boolean {
  return value === kind || (value ?? "").startsWith(`${kind}-`);
}

/** Instance visitors win; KubeEdge's older profiles list them at top level by model name. */
function visitorsOf(profile: DeviceProfile, inst: ProfileDeviceInstance): ProfilePropertyVisitor[] {
  if (inst.propertyVisitors && inst.propertyVisitors.length > 0) return inst.propertyVisitors;
  return profile.propertyVisitors.filter(v => v.modelName === inst.model);
}

type Compiled = { visitor: ValidateFunction; config?: ValidateFunction; common?: ValidateFunction };

function compileSpec<V>(spec: ProtocolSpec<V>): Compiled {
  const { visitorConfig, protocolConfig, protocolCommonConfig } = spec.schemas;
  return {
    visitor: ajv.compile(visitorConfig),
    config: protocolConfig ? ajv.compile(protocolConfig) : undefined,
    common: protocolCommonConfig ? ajv.compile(protocolCommonConfig) : undefined,
  };
}

function checkProtocol(id: string, proto: ProfileProtocol, c: Compiled): DeviceProblem[] {
  const out = check(id, "protocol", validateProtocol, proto);
  if (c.config)
    out.push(...check(id, "protocol.protocolConfig", c.config, proto.protocolConfig ?? {}));
  if (c.common) {
    const common = proto.protocolCommonConfig ?? {};
    out.push(...check(id, "protocol.protocolCommonConfig", c.common, common));
  }
  return out;
}

interface Ctx<V> {
  spec: ProtocolSpec<V>;
  compiled: Compiled;
  model: ProfileDeviceModel;
  id: string;
}

function resolveProperty<V>(
  ctx: Ctx<V>,
  visitor: ProfilePropertyVisitor,
  i: number,
  problems: DeviceProblem[],
): ResolvedProperty<V> | undefined {
  const prefix = `propertyVisitors[${i}]`;
  const found = check(ctx.id, prefix, validateVisitor, visitor);
  if (
    found.length === 0 &&
    visitor.protocol &&
    !protocolMatches(ctx.spec.protocol, visitor.protocol)
  ) {
    found.push({
      device: ctx.id,
      field: `${prefix}.protocol`,
      reason: `is not ${ctx.spec.protocol}`,
    });
  }
  if (found.length === 0) {
    found.push(
      ...check(ctx.id, `${prefix}.visitorConfig`, ctx.compiled.visitor, visitor.visitorConfig),
    );
  }
  const property = ctx.model.properties.find(p => p.name === visitor.propertyName);
  if (found.length === 0 && !property) {
    const reason = `names no property of model ${ctx.model.name}`;
    found.push({ device: ctx.id, field: `${prefix}.propertyName`, reason });
  }
  problems.push(...found);
  if (found.length > 0 || !property) return undefined;
  const fallback = ctx.spec.defaultCycleMs ?? 1000;
  const collectCycleMs = cycleToMs(visitor.collectCycle, fallback);
  return {
    name: property.name,
    property: { ...property, accessMode: property.accessMode ?? "ReadWrite" },
    visitor,
    config: visitor.visitorConfig as V,
    collectCycleMs,
    reportCycleMs: cycleToMs(visitor.reportCycle, collectCycleMs),
  };
}

function duplicateProblems(id: string, visitors: ProfilePropertyVisitor[]): DeviceProblem[] {
  const seen = new Set<string>();
  const out: DeviceProblem[] = [];
  visitors.forEach((v, i) => {
    if (seen.has(v.propertyName)) {
      out.push({
        device: id,
        field: `propertyVisitors[${i}].propertyName`,
        reason: "is a duplicate",
      });
    }
    seen.add(v.propertyName);
  });
  return out;
}

function resolveInstance<V>(
  profile: DeviceProfile,
  inst: ProfileDeviceInstance,
  proto: ProfileProtocol,
  spec: ProtocolSpec<V>,
  compiled: Compiled,
): Selection<V> {
  const id = inst.id;
  const problems = checkProtocol(id, proto, compiled);
  const model = profile.deviceModels.find(m => m.name === inst.model);
  if (!model)
    return {
      devices: [],
      problems: [
        ...problems,
        { device: id, field: "model", reason: `model ${inst.model} not found` },
      ],
    };
  problems.push(...check(id, "model", validateModel, model));
  const visitors = visitorsOf(profile, inst);
  problems.push(...duplicateProblems(id, visitors));
  if (problems.length > 0) return { devices: [], problems };
  const ctx: Ctx<V> = { spec, compiled, model, id };
  const properties = visitors
    .map((v, i) => resolveProperty(ctx, v, i, problems))
    .filter((p): p is ResolvedProperty<V> => p !== undefined);
  if (problems.length > 0) return { devices: [], problems };
  const device: ResolvedDevice<V> = {
    id,
    name: inst.name,
    namespace: inst.namespace,
    model,
    protocol: proto,
    properties,
    twins: inst.twins ?? [],
    data: inst.data,
    fingerprint: JSON.stringify([proto, model, visitors, inst.data ?? null]),
  };
  const semantic = spec.check?.(device) ?? [];
  return semantic.length > 0
    ? { devices: [], problems: semantic }
    : { devices: [device], problems };
}

/**
 * Returns a function that picks the devices of one protocol from a profile. A device with any
 * problem is refused as a whole (with every problem listed); the other devices are unaffected.
 */
type Ownership = { mine: true; proto: ProfileProtocol } | { mine: false; problem?: DeviceProblem };

/**
 * Whose device is it? Only a mapper's own devices are validated and logged: a device of
 * another protocol, or one without any protocol (nobody serves it), is skipped silently.
 */
function ownership(
  kind: string,
  profile: DeviceProfile,
  inst: ProfileDeviceInstance,
  label: string,
): Ownership {
  const name = (inst as { protocol?: unknown }).protocol;
  if (typeof name !== "string" || name === "") return { mine: false };
  const proto = profile.protocols.find(p => p.name === name);
  if (proto) return protocolMatches(kind, proto.protocol) ? { mine: true, proto } : { mine: false };
  // Without its protocol entry we cannot tell whose device it is; a mapper whose kind the name
  // starts with (`modbus-ns-dev`, as the cloud names entries) reports it.
  if (!protocolMatches(kind, name)) return { mine: false };
  return {
    mine: false,
    problem: { device: label, field: "protocol", reason: `protocol ${name} not found` },
  };
}

/**
 * Returns a function that picks the devices of one protocol from a profile. A device with any
 * problem is refused as a whole (with every problem listed); the other devices are unaffected.
 */
export function createDeviceSelector<V>(spec: ProtocolSpec<V>): (p: DeviceProfile) => Selection<V> {
  const compiled = compileSpec(spec);
  return profile => {
    const out: Selection<V> = { devices: [], problems: [] };
    const ids = new Set<string>();
    profile.deviceInstances.forEach((inst, i) => {
      const label =
        typeof inst?.id === "string" && inst.id !== "" ? inst.id : `deviceInstances[${i}]`;
      const owner = ownership(spec.protocol, profile, inst ?? {}, label);
      if (!owner.mine) return void (owner.problem && out.problems.push(owner.problem));
      const instProblems = check(label, "", validateInstance, inst);
      if (instProblems.length > 0) return void out.problems.push(...instProblems);
      if (ids.has(inst.id)) {
        return void out.problems.push({ device: label, field: "id", reason: "is a duplicate" });
      }
      ids.add(inst.id);
      const sel = resolveInstance(profile, inst, owner.proto, spec, compiled);
      out.devices.push(...sel.devices);
      out.problems.push(...sel.problems);
    });
    return out;
  };
}
