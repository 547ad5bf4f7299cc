/**
 * DeviceModel property types: which member of `type` is set, and its spec. How a twin value of
 * that type is parsed and range-checked is the contract's twin value rules (one rule set for
 * cloud, agent and mappers); this file only reads the CRD's shape.
 */
import { TWIN_DATA_TYPES, type TwinDataType } from "@kubeedge-ts/contract";
import type { DeviceModelProperty, DeviceModelPropertyType } from "../../../crds/index.js";

export interface PropertyTypeSpec {
  accessMode?: string;
  defaultValue?: number | string | boolean;
  minimum?: number;
  maximum?: number;
  unit?: string;
}

export interface ResolvedType {
  kind: TwinDataType;
  spec: PropertyTypeSpec;
}

/** The members set on a property's `type` (a legal property has exactly one). */
export function typeMembers(type: DeviceModelPropertyType | undefined): TwinDataType[] {
  return TWIN_DATA_TYPES.filter(k => type?.[k] !== undefined && type?.[k] !== null);
}

export function resolveType(prop: DeviceModelProperty | undefined): ResolvedType | undefined {
  const members = typeMembers(prop?.type);
  if (members.length !== 1) return undefined;
  return { kind: members[0], spec: prop!.type[members[0]] as PropertyTypeSpec };
}
