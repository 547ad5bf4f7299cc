/**
 * Performs one action: a read or a write of the characteristic behind the action's property.
 * As in KubeEdge, a ReadOnly property is read and a ReadWrite one is written; the value written
 * is the watcher's expected value, else the twin's desired value, else the model's default.
 */
import type { BluetoothVisitorConfig, ProfileProperty } from "@kubeedge-ts/contract";
import type { ActionSpec } from "../config/types.js";
import { decodeRead, encodeWrite } from "../convert/value-codec.js";

export interface GattIO {
  read(uuid: string): Promise<Buffer>;
  write(uuid: string, data: Buffer): Promise<void>;
}

export interface BoundProperty {
  property: ProfileProperty;
  visitor: BluetoothVisitorConfig;
}

export type ActionKind = "read" | "write";

export interface ActionOutcome {
  action: string;
  property: string;
  kind: ActionKind;
  /** The twin value read, or the value written. */
  value: string;
}

export function actionKind(property: ProfileProperty): ActionKind {
  return property.accessMode === "ReadOnly" ? "read" : "write";
}

export async function performAction(
  spec: ActionSpec,
  bound: BoundProperty,
  io: GattIO,
  value?: string,
): Promise<ActionOutcome> {
  const { property, visitor } = bound;
  const base = { action: spec.name, property: property.name };
  if (actionKind(property) === "read") {
    const data = await io.read(visitor.characteristicUUID);
    const decoded = decodeRead(data, visitor, property.dataType);
    if (!decoded.ok) throw new Error(`action "${spec.name}": ${decoded.reason}`);
    return { ...base, kind: "read", value: decoded.value };
  }
  const text =
    value ?? (property.defaultValue === undefined ? undefined : String(property.defaultValue));
  if (text === undefined) {
    throw new Error(
      `action "${spec.name}": no desired or default value to write to ${property.name}`,
    );
  }
  const encoded = encodeWrite(text, visitor, property.dataType);
  if (!encoded.ok) throw new Error(`action "${spec.name}": ${encoded.reason}`);
  await io.write(visitor.characteristicUUID, encoded.value);
  return { ...base, kind: "write", value: text };
}
