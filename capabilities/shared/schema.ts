/**
 * The JSON-schema part of admission: ajv over the openAPIV3Schema that the CRD YAML carries
 * (crds/generated/schemas.ts is generated from it), so the schema exists once. The apiserver
 * applies the same schema; running it here too gives one message with every problem, in the
 * same path/value form as the cross-object rules, before those rules read the object.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { deviceModelV1alpha2Schema, deviceV1alpha2Schema } from "../../crds/index.js";
import { problem, type Problem } from "./problems.js";

function newAjv(): Ajv {
  // strict off: Kubernetes schemas use keywords (x-kubernetes-*) and formats ajv does not know.
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  ajv.addKeyword("x-kubernetes-preserve-unknown-fields");
  ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
  ajv.addFormat("int32", { type: "number", validate: Number.isInteger });
  ajv.addFormat("double", { type: "number", validate: Number.isFinite });
  ajv.addFormat("float", { type: "number", validate: Number.isFinite });
  ajv.addFormat("byte", /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  return ajv;
}

const ajv = newAjv();
const validators = {
  Device: ajv.compile(deviceV1alpha2Schema),
  DeviceModel: ajv.compile(deviceModelV1alpha2Schema),
} satisfies Record<string, ValidateFunction>;

/** `/spec/properties/0/name` → `spec.properties[0].name`. */
export function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map(p => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

function valueAt(root: unknown, instancePath: string): unknown {
  let cur = root;
  for (const raw of instancePath.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    cur =
      cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

function toProblem(obj: unknown, e: ErrorObject): Problem {
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return problem(fieldPath(e.instancePath, missing), "is required");
  }
  const path = fieldPath(e.instancePath) || "(object)";
  const reason =
    e.keyword === "enum"
      ? `is not one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
      : (e.message ?? e.keyword);
  return problem(path, reason, valueAt(obj, e.instancePath));
}

/** Schema problems of a Device or DeviceModel object. */
export function schemaProblems(kind: keyof typeof validators, obj: unknown): Problem[] {
  const validate = validators[kind];
  if (validate(obj)) return [];
  const errors = validate.errors ?? [];
  // A fractional int64 fails both `type: integer` and the format; say it once.
  const typed = new Set(errors.filter(e => e.keyword !== "format").map(e => e.instancePath));
  return errors
    .filter(e => e.keyword !== "format" || !typed.has(e.instancePath))
    .map(e => toProblem(obj, e));
}
