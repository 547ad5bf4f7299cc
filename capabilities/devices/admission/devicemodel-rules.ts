/**
 * Rules for a DeviceModel beyond its JSON schema: property names are unique twin keys, each
 * property has exactly one type, and numeric bounds and defaults are consistent.
 */
import { isNumericDataType, TWIN_DATA_TYPES, TWIN_KEY_PATTERN } from "@kubeedge-ts/contract";
import type { DeviceModel, DeviceModelProperty } from "../../../crds/index.js";
import { typeMembers, type PropertyTypeSpec } from "./model-types.js";
import { problem, type Problem } from "../../shared/problems.js";

function nameProblems(props: DeviceModelProperty[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  props.forEach((p, i) => {
    const path = `spec.properties[${i}].name`;
    if (typeof p.name !== "string") return; // the schema reports a missing name
    if (!TWIN_KEY_PATTERN.test(p.name)) {
      out.push(problem(path, `is not a legal twin key (${TWIN_KEY_PATTERN.source})`, p.name));
    }
    if (seen.has(p.name)) out.push(problem(path, "is used by more than one property", p.name));
    seen.add(p.name);
  });
  return out;
}

function boundsProblems(path: string, spec: PropertyTypeSpec): Problem[] {
  const out: Problem[] = [];
  const { minimum: min, maximum: max, defaultValue: def } = spec;
  if (typeof min === "number" && typeof max === "number" && min > max) {
    out.push(problem(`${path}.minimum`, `is greater than maximum ${max}`, min));
  }
  if (typeof def === "number" && typeof min === "number" && def < min) {
    out.push(problem(`${path}.defaultValue`, `is below minimum ${min}`, def));
  }
  if (typeof def === "number" && typeof max === "number" && def > max) {
    out.push(problem(`${path}.defaultValue`, `is above maximum ${max}`, def));
  }
  return out;
}

function typeProblems(prop: DeviceModelProperty, i: number): Problem[] {
  const path = `spec.properties[${i}].type`;
  if (!prop.type) return []; // the schema reports a missing type
  const members = typeMembers(prop.type);
  if (members.length !== 1) {
    const why = `must set exactly one of ${TWIN_DATA_TYPES.join(", ")}`;
    return [problem(path, members.length ? `${why}, sets ${members.join(" and ")}` : why)];
  }
  const kind = members[0];
  const spec = prop.type[kind] as PropertyTypeSpec;
  const out: Problem[] = [];
  if (spec.accessMode !== "ReadOnly" && spec.accessMode !== "ReadWrite") {
    out.push(
      problem(`${path}.${kind}.accessMode`, "must be ReadOnly or ReadWrite", spec.accessMode),
    );
  }
  if (isNumericDataType(kind)) out.push(...boundsProblems(`${path}.${kind}`, spec));
  return out;
}

/** Everything wrong with a DeviceModel that its schema cannot say. */
export function deviceModelProblems(model: DeviceModel): Problem[] {
  const props = model.spec?.properties;
  if (!Array.isArray(props) || props.length === 0) {
    return [problem("spec.properties", "must list at least one property")];
  }
  return [...nameProblems(props), ...props.flatMap(typeProblems)];
}
