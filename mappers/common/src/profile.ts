/**
 * Parsing and validation of `deviceProfile.json`, and selection of the devices one mapper
 * serves. Pure: no I/O, so every refusal rule is table-tested.
 */
import { Ajv, type ErrorObject, type JSONSchemaType, type ValidateFunction } from "ajv";
import {
  checkSchema,
  deviceInstanceSchema,
  deviceModelSchema,
  deviceVisitors,
  joinField,
  protocolSchema,
  propertyVisitorSchema,
  visitorCycles,
  type DeviceProfile,
  type ProfileDeviceInstance,
  type ProfileData,
  type ProfileDeviceModel,
  type ProfileProperty,
  type ProfilePropertyVisitor,
  type ProfileProtocol,
  type ProfileSchema,
  type ProfileTwin,
} from "@kubeedge-ts/contract";

/** The contract's one profile reader, under the name mappers have always imported. */
export { parseDeviceProfile as parseProfile } from "@kubeedge-ts/contract";

/** Schemas a mapper passes for its protocol; ajv compiles them (the generic keeps call sites honest). */
export type ProtocolSchemas<V> = {
  visitorConfig: JSONSchemaType<V> | ProfileSchema;
  protocolConfig?: ProfileSchema;
  protocolCommonConfig?: ProfileSchema;
};

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

/** Only the protocols' own schemas need ajv; the common part is the contract's checker. */
const ajv = new Ajv({ allErrors: true, strict: false });

/** `/visitorConfig/offset` + prefix → `propertyVisitors[0].visitorConfig.offset`. */
function fieldOf(prefix: string, error: ErrorObject): string {
  const parts = error.instancePath.split("/").filter(p => p !== "");
  if (error.keyword === "required") parts.push(String(error.params.missingProperty));
  return joinField(prefix, parts);
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

/** The common schemas, checked by the contract's checker (the one the edge agent uses too). */
function checkCommon(
  device: string,
  prefix: string,
  schema: ProfileSchema,
  v: unknown,
): DeviceProblem[] {
  return checkSchema(schema, v, prefix).map(p => ({ device, ...p }));
}

export function protocolMatches(kind: string, value: string | undefined): boolean {
  return value === kind || (value ?? "").startsWith(`${kind}-`);
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
  const out = checkCommon(id, "protocol", protocolSchema, proto);
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
  const found = checkCommon(ctx.id, prefix, propertyVisitorSchema, visitor);
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
  return {
    name: property.name,
    property: { ...property, accessMode: property.accessMode ?? "ReadWrite" },
    visitor,
    config: visitor.visitorConfig as V,
    ...visitorCycles(visitor, ctx.spec.defaultCycleMs),
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
  problems.push(...checkCommon(id, "model", deviceModelSchema, model));
  const visitors = deviceVisitors(profile, inst);
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
      const instProblems = checkCommon(label, "", deviceInstanceSchema, inst);
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
