import type { MsgTwin } from "@kubeedge-ts/contract";
import { describe, expect, it } from "vitest";
import {
  applyCloudSync,
  applyEdgeUpdate,
  buildDelta,
  publicTwins,
  type TwinMap,
} from "./twin-merge.js";

const now = 1_700_000_000_000;
const ctx = { now, declaredTypes: { temperature: "int", power: "boolean" } };

const held: TwinMap = {
  temperature: {
    expected: { value: "30", metadata: { timestamp: 100 } },
    actual: { value: "25", metadata: { timestamp: 200 } },
    optional: false,
    metadata: { type: "int" },
    expected_version: { cloud: 5, edge: 0 },
    actual_version: { cloud: 0, edge: 3 },
  },
  note: {
    actual: { value: "hi", metadata: { timestamp: 1 } },
    optional: true,
    metadata: { type: "string" },
  },
  setpoint: {
    expected: { value: "5", metadata: { timestamp: 100 } },
    optional: true,
    metadata: { type: "int" },
    expected_version: { cloud: 5, edge: 0 },
  },
};

describe("applyEdgeUpdate", () => {
  it.each<{ name: string; update: Record<string, MsgTwin | null>; code: number; reason: RegExp }>([
    {
      name: "a value of the wrong type",
      update: { temperature: { actual: { value: "hot" } } },
      code: 400,
      reason: /not an int/,
    },
    {
      name: "a declared type wins over the message's",
      update: { power: { actual: { value: "yes" }, metadata: { type: "string" } } },
      code: 400,
      reason: /not a boolean/,
    },
    {
      name: "an older reading",
      update: { temperature: { actual: { value: "26", metadata: { timestamp: 199 } } } },
      code: 409,
      reason: /older/,
    },
    {
      name: "an older actual version",
      update: { temperature: { actual: { value: "26" }, actual_version: { cloud: 0, edge: 2 } } },
      code: 409,
      reason: /version/,
    },
    {
      name: "an older expected version",
      update: {
        setpoint: { expected: { value: "1" }, expected_version: { cloud: 4, edge: 0 } },
      },
      code: 409,
      reason: /version/,
    },
    {
      name: "a far-future timestamp",
      update: {
        temperature: { actual: { value: "26", metadata: { timestamp: now + 2 * 86_400_000 } } },
      },
      code: 400,
      reason: /future/,
    },
    {
      name: "deleting a mandatory twin",
      update: { temperature: null },
      code: 400,
      reason: /not optional/,
    },
    {
      name: "deleting a missing twin",
      update: { nothing: null },
      code: 400,
      reason: /does not exist/,
    },
  ])("refuses $name and changes nothing", ({ update, code, reason }) => {
    const before = structuredClone(held);
    // As an application granted the device, so that desired values are judged too.
    const app = { ...ctx, setsDesired: true };
    const r = applyEdgeUpdate(held, { note: { actual: { value: "ok" } }, ...update }, app);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.reason).toMatch(reason);
    }
    expect(held).toEqual(before);
  });

  it("stores a reading, bumps the edge version and answers with what changed", () => {
    const r = applyEdgeUpdate(
      held,
      { temperature: { actual: { value: "27", metadata: { timestamp: 300 } } } },
      ctx,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.upserts).toEqual(["temperature"]);
    expect(r.value.next.temperature!.actual).toEqual({ value: "27", metadata: { timestamp: 300 } });
    expect(r.value.next.temperature!.actual_version).toEqual({ cloud: 0, edge: 4 });
    expect(r.value.next.temperature!.expected).toEqual(held.temperature!.expected);
    expect(r.value.result).toEqual({
      temperature: {
        actual: { value: "27", metadata: { timestamp: 300 } },
        optional: false,
        metadata: { type: "int" },
      },
    });
    expect(r.value.document.temperature!.last).toEqual(publicTwins(held).temperature);
    expect(r.value.document.temperature!.current!.actual!.value).toBe("27");
  });

  it("adds an undeclared twin as optional with the message's type, stamped now", () => {
    const r = applyEdgeUpdate(
      {},
      { humidity: { actual: { value: "40.5" }, metadata: { type: "float" } } },
      ctx,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.next.humidity).toEqual({
      actual: { value: "40.5", metadata: { timestamp: now } },
      actual_version: { cloud: 0, edge: 1 },
      optional: true,
      metadata: { type: "float" },
    });
    expect(r.value.document.humidity!.last).toBeNull();
  });

  it("deletes an optional twin with null", () => {
    const r = applyEdgeUpdate(held, { note: null }, ctx);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.deletes).toEqual(["note"]);
    expect(r.value.result).toEqual({ note: null });
    expect(r.value.next.note).toBeUndefined();
    expect(r.value.document.note!.current).toBeNull();
  });

  it("ignores a mapper's expected value for a declared property (the cloud owns it)", () => {
    const r = applyEdgeUpdate(
      held,
      { temperature: { actual: { value: "26" }, expected: { value: "99" } } },
      ctx,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.next.temperature!.expected).toEqual(held.temperature!.expected);
    expect(r.value.result.temperature!.expected).toBeUndefined();
  });

  it("ignores an expected value of an undeclared twin from a sender without a grant", () => {
    const r = applyEdgeUpdate(held, { setpoint: { expected: { value: "9" } } }, ctx);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.next.setpoint!.expected).toEqual(held.setpoint!.expected);
    expect(r.value.next.setpoint!.expected_version).toEqual({ cloud: 5, edge: 0 });
  });

  it("takes a granted application's desired value of a declared twin as an edge change", () => {
    const r = applyEdgeUpdate(
      held,
      { temperature: { expected: { value: "12" }, expected_version: { cloud: 99, edge: 0 } } },
      { ...ctx, setsDesired: true },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.next.temperature!.expected!.value).toBe("12");
    // The edge version moves on; the cloud version stays what the cloud gave.
    expect(r.value.next.temperature!.expected_version).toEqual({ cloud: 5, edge: 1 });
    expect(r.value.result.temperature!.expected!.value).toBe("12");
  });

  it("accepts a reading with an equal timestamp (a repeated report)", () => {
    const r = applyEdgeUpdate(
      held,
      { temperature: { actual: { value: "25", metadata: { timestamp: 200 } } } },
      ctx,
    );
    expect(r.ok).toBe(true);
  });
});

describe("applyCloudSync", () => {
  it.each<{ name: string; update: Record<string, MsgTwin | null>; code: number }>([
    { name: "no version", update: { temperature: { expected: { value: "31" } } }, code: 400 },
    {
      name: "an older cloud version",
      update: {
        temperature: { expected: { value: "31" }, expected_version: { cloud: 4, edge: 0 } },
      },
      code: 409,
    },
    {
      name: "a newer edge version held",
      update: { temperature: { actual: { value: "1" }, actual_version: { cloud: 9, edge: 2 } } },
      code: 409,
    },
  ])("refuses $name", ({ update, code }) => {
    const r = applyCloudSync(held, update, ctx);
    expect(!r.ok && r.code).toBe(code);
  });

  it("sets the desired value and takes the cloud's versions", () => {
    const r = applyCloudSync(
      held,
      { temperature: { expected: { value: "31" }, expected_version: { cloud: 6, edge: 0 } } },
      ctx,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.next.temperature!.expected).toEqual({
      value: "31",
      metadata: { timestamp: now },
    });
    expect(r.value.next.temperature!.expected_version).toEqual({ cloud: 6, edge: 0 });
  });

  it("clears the desired value with an empty one, and deletes on null", () => {
    const r = applyCloudSync(
      held,
      {
        temperature: { expected: { value: "" }, expected_version: { cloud: 7, edge: 0 } },
        note: null,
      },
      ctx,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.next.temperature!.expected).toBeUndefined();
    expect(r.value.deletes).toEqual(["note"]);
  });
});

describe("buildDelta", () => {
  const t = (expected?: string, actual?: string, type = "int"): MsgTwin => ({
    ...(expected === undefined ? {} : { expected: { value: expected } }),
    ...(actual === undefined ? {} : { actual: { value: actual } }),
    metadata: { type },
    expected_version: { cloud: 1, edge: 0 },
  });
  it.each([
    { name: "expected differs from actual", twins: { a: t("30", "25") }, delta: { a: "30" } },
    { name: "no actual yet", twins: { a: t("30") }, delta: { a: "30" } },
    { name: "equal values", twins: { a: t("30", "30") }, delta: undefined },
    { name: "no expected", twins: { a: t(undefined, "30") }, delta: undefined },
    { name: "deleted twin", twins: { a: t("1", "2", "deleted") }, delta: undefined },
    { name: "mixed", twins: { a: t("1", "1"), b: t("2", "3") }, delta: { b: "2" } },
  ])("$name", ({ twins, delta }) => {
    const d = buildDelta(twins as TwinMap);
    expect(d?.delta).toEqual(delta);
    // Versions stay internal: no twin in a delta message carries one.
    expect(Object.values(d?.twin ?? {}).filter(v => v.expected_version !== undefined)).toEqual([]);
  });
});
