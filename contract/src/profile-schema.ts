/**
 * JSON schemas for `deviceProfile.json`, and the small checker that applies them. The document
 * schema only checks the outer shape so one bad entry never hides the others; each entry is
 * then checked on its own, and a mapper adds (ajv-compiled) schemas for its protocol's
 * visitorConfig and protocolConfig.
 *
 * Why a hand-written checker and not ajv: the edge agent bundles contract/ and has no ajv (a
 * compiled validator costs it memory and bundle size for five fixed schemas). The checker
 * knows exactly the keywords these schemas use (type, required, properties, items, enum,
 * minLength, minimum, maximum) and words its problems as ajv does, so the agent and the mappers
 * judge the common part of a profile with one implementation.
 */
import { TWIN_DATA_TYPES } from "./twin-value.js";

export type ProfileSchema = Readonly<Record<string, unknown>>;

export const documentSchema: ProfileSchema = {
  type: "object",
  required: ["deviceInstances"],
  properties: {
    deviceInstances: { type: "array", items: { type: "object" } },
    deviceModels: { type: "array", items: { type: "object" } },
    protocols: { type: "array", items: { type: "object" } },
    propertyVisitors: { type: "array", items: { type: "object" } },
  },
};

export const deviceInstanceSchema: ProfileSchema = {
  type: "object",
  required: ["id", "name", "protocol", "model"],
  properties: {
    id: { type: "string", minLength: 1 },
    name: { type: "string", minLength: 1 },
    namespace: { type: "string" },
    protocol: { type: "string", minLength: 1 },
    model: { type: "string", minLength: 1 },
    twins: { type: "array", items: { type: "object", required: ["propertyName"] } },
    propertyVisitors: { type: "array", items: { type: "object" } },
  },
};

export const propertySchema: ProfileSchema = {
  type: "object",
  required: ["name", "dataType"],
  properties: {
    name: { type: "string", minLength: 1 },
    dataType: { enum: [...TWIN_DATA_TYPES] },
    accessMode: { enum: ["ReadWrite", "ReadOnly"] },
    minimum: { type: "number" },
    maximum: { type: "number" },
    unit: { type: "string" },
  },
};

export const deviceModelSchema: ProfileSchema = {
  type: "object",
  required: ["name", "properties"],
  properties: {
    name: { type: "string", minLength: 1 },
    properties: { type: "array", items: propertySchema },
  },
};

export const protocolSchema: ProfileSchema = {
  type: "object",
  required: ["name", "protocol"],
  properties: {
    name: { type: "string", minLength: 1 },
    protocol: { type: "string", minLength: 1 },
    protocolConfig: { type: ["object", "null"] },
    protocolCommonConfig: { type: ["object", "null"] },
  },
};

/** Cycles are Go durations in nanoseconds; absent means the default (see profile-parse.ts). */
const cycle = { type: "integer", minimum: 0 };

export const propertyVisitorSchema: ProfileSchema = {
  type: "object",
  required: ["propertyName", "visitorConfig"],
  properties: {
    name: { type: "string" },
    propertyName: { type: "string", minLength: 1 },
    modelName: { type: "string" },
    protocol: { type: "string" },
    reportCycle: cycle,
    collectCycle: cycle,
    visitorConfig: { type: "object" },
  },
};

/** One thing wrong with an entry: `field` reads like `propertyVisitors[0].visitorConfig.offset`. */
export interface SchemaProblem {
  field: string;
  reason: string;
}

/** Appends instance path segments to a field: numbers as `[i]`, names as `.name`. */
export function joinField(prefix: string, parts: readonly string[]): string {
  let field = prefix;
  for (const p of parts) field += /^\d+$/.test(p) ? `[${p}]` : field === "" ? p : `.${p}`;
  return field;
}

function typeOf(value: unknown): string[] {
  if (value === null) return ["null"];
  if (Array.isArray(value)) return ["array"];
  if (typeof value === "number")
    return Number.isInteger(value) ? ["integer", "number"] : ["number"];
  return [typeof value];
}

function typeProblem(schema: ProfileSchema, value: unknown): string | undefined {
  if (schema.type === undefined) return undefined;
  const want = ([] as string[]).concat(schema.type as string | string[]);
  return typeOf(value).some(t => want.includes(t)) ? undefined : `must be ${want.join(",")}`;
}

function valueProblems(schema: ProfileSchema, value: unknown): string[] {
  const out: string[] = [];
  const allowed = schema.enum as unknown[] | undefined;
  if (allowed && !allowed.includes(value)) out.push("must be equal to one of the allowed values");
  const minLength = schema.minLength as number | undefined;
  if (typeof value === "string" && minLength !== undefined && value.length < minLength) {
    out.push(`must NOT have fewer than ${minLength} characters`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      out.push(`must be >= ${schema.minimum}`);
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      out.push(`must be <= ${schema.maximum}`);
    }
  }
  return out;
}

interface Found {
  parts: string[];
  reason: string;
}

function walk(schema: ProfileSchema, value: unknown, parts: string[], out: Found[]): void {
  const wrongType = typeProblem(schema, value);
  if (wrongType) return void out.push({ parts, reason: wrongType });
  for (const reason of valueProblems(schema, value)) out.push({ parts, reason });
  if (Array.isArray(value)) {
    const items = schema.items as ProfileSchema | undefined;
    if (items) value.forEach((item, i) => walk(items, item, [...parts, `${i}`], out));
  } else if (typeof value === "object" && value !== null) {
    walkObject(schema, value as Record<string, unknown>, parts, out);
  }
}

function walkObject(
  schema: ProfileSchema,
  obj: Record<string, unknown>,
  parts: string[],
  out: Found[],
): void {
  for (const name of (schema.required as string[] | undefined) ?? []) {
    if (obj[name] === undefined) out.push({ parts: [...parts, name], reason: "is required" });
  }
  const props = (schema.properties ?? {}) as Record<string, ProfileSchema>;
  for (const [name, sub] of Object.entries(props)) {
    if (obj[name] !== undefined) walk(sub, obj[name], [...parts, name], out);
  }
}

/** Every problem of `value` against `schema`, fields prefixed with `prefix`; [] when it fits. */
export function checkSchema(schema: ProfileSchema, value: unknown, prefix = ""): SchemaProblem[] {
  const found: Found[] = [];
  walk(schema, value, [], found);
  return found.map(f => ({ field: joinField(prefix, f.parts), reason: f.reason }));
}
