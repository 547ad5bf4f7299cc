/**
 * What the application reads off the agent's twin topics: the reported (actual) and desired
 * (expected) values of a device's twins, from a `twin/get/result` (all twins) or a
 * `twin/update/document` (the twins that changed, `current` after the change).
 */
import type { DeviceTwinDocument, DeviceTwinUpdate, MsgTwin } from "@kubeedge-ts/contract";

export interface TwinValues {
  actual: Record<string, string>;
  expected: Record<string, string>;
}

function collect(twins: Record<string, MsgTwin | null | undefined>): TwinValues {
  const out: TwinValues = { actual: {}, expected: {} };
  for (const [name, twin] of Object.entries(twins)) {
    if (twin?.actual?.value !== undefined) out.actual[name] = twin.actual.value;
    if (twin?.expected?.value !== undefined) out.expected[name] = twin.expected.value;
  }
  return out;
}

export function fromGetResult(payload: string): TwinValues | undefined {
  const msg = parse<DeviceTwinUpdate>(payload);
  return msg?.twin ? collect(msg.twin) : undefined;
}

export function fromDocument(payload: string): TwinValues | undefined {
  const msg = parse<DeviceTwinDocument>(payload);
  if (!msg?.twin) return undefined;
  return collect(Object.fromEntries(Object.entries(msg.twin).map(([k, d]) => [k, d?.current])));
}

function parse<T>(payload: string): Partial<T> | undefined {
  try {
    const v = JSON.parse(payload) as unknown;
    return typeof v === "object" && v !== null ? (v as Partial<T>) : undefined;
  } catch {
    return undefined;
  }
}

/** A finite number from a twin value, else undefined. */
export function numeric(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
