/**
 * A mapper's side of the twin value rules: whether a desired value may be written to a device.
 * Parsing, range checks and the canonical text are the contract's twin value rules, the same
 * ones cloud admission and the edge agent apply (see contract/src/twin-value.ts), so a mapper
 * writes exactly what the cloud admitted, with the same meaning.
 */
import {
  checkTwinValue,
  type ProfileProperty,
  type TypedTwinValue,
  type ValueResult,
} from "@kubeedge-ts/contract";

export type TypedValue = TypedTwinValue;
export type Result<T> = ValueResult<T>;

/**
 * Decides whether a desired value may be written: the property must be ReadWrite (KubeEdge's
 * default access mode is ReadWrite), the text must parse as the model's type, and numbers must
 * lie within the model's range.
 */
export function checkDesired(property: ProfileProperty, text: string): Result<TypedValue> {
  if (property.accessMode === "ReadOnly") {
    return { ok: false, reason: `property ${property.name} is ReadOnly` };
  }
  const checked = checkTwinValue(property.dataType, property, text);
  return checked.ok
    ? checked
    : { ok: false, reason: `${property.name}: "${text}" ${checked.reason}` };
}
