import type { BluetoothDataConverter } from "@kubeedge-ts/contract";
import { convertRead, hasConversion, sliceField, validateConverter } from "./data-converter.js";

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe("convertRead", () => {
  const cases: { name: string; data: Uint8Array; conv: BluetoothDataConverter; want: number }[] = [
    { name: "single byte", data: bytes(0x2a), conv: { startIndex: 0, endIndex: 0 }, want: 42 },
    {
      name: "big-endian field when start < end",
      data: bytes(0x00, 0x01, 0x02),
      conv: { startIndex: 1, endIndex: 2 },
      want: 0x0102,
    },
    {
      name: "little-endian field when start > end",
      data: bytes(0x34, 0x12),
      conv: { startIndex: 1, endIndex: 0 },
      want: 0x1234,
    },
    {
      name: "SensorTag IR temperature: >>2 then *0.03125",
      // raw little-endian 0x0C80 = 3200 → >>2 = 800 → *0.03125 = 25 °C
      data: bytes(0x80, 0x0c, 0x00, 0x00),
      conv: {
        startIndex: 1,
        endIndex: 0,
        shiftRight: 2,
        orderOfOperations: [{ operationType: "Multiply", operationValue: 0.03125 }],
      },
      want: 25,
    },
    {
      name: "shift left",
      data: bytes(0x01),
      conv: { startIndex: 0, endIndex: 0, shiftLeft: 4 },
      want: 16,
    },
    {
      name: "operations run in the given order (add then multiply)",
      data: bytes(10),
      conv: {
        startIndex: 0,
        endIndex: 0,
        orderOfOperations: [
          { operationType: "Add", operationValue: 5 },
          { operationType: "Multiply", operationValue: 2 },
        ],
      },
      want: 30,
    },
    {
      name: "operations run in the given order (multiply then add)",
      data: bytes(10),
      conv: {
        startIndex: 0,
        endIndex: 0,
        orderOfOperations: [
          { operationType: "Multiply", operationValue: 2 },
          { operationType: "Add", operationValue: 5 },
        ],
      },
      want: 25,
    },
    {
      name: "subtract and divide",
      data: bytes(0x00, 0x64),
      conv: {
        startIndex: 0,
        endIndex: 1,
        orderOfOperations: [
          { operationType: "Subtract", operationValue: 20 },
          { operationType: "Divide", operationValue: 8 },
        ],
      },
      want: 10,
    },
    {
      name: "wide fields keep bits past 32",
      data: bytes(0x01, 0x00, 0x00, 0x00, 0x00),
      conv: { startIndex: 0, endIndex: 4 },
      want: 2 ** 32,
    },
    {
      name: "omitted indices take the whole value",
      data: bytes(0x01, 0x00),
      conv: { orderOfOperations: [{ operationType: "Add", operationValue: 1 }] } as never,
      want: 257,
    },
  ];
  it.each(cases)("$name", ({ data, conv, want }) => {
    expect(convertRead(data, conv)).toEqual({ ok: true, value: want });
  });

  const failures: {
    name: string;
    data: Uint8Array;
    conv: BluetoothDataConverter;
    reason: RegExp;
  }[] = [
    {
      name: "value shorter than the field",
      data: bytes(1),
      conv: { startIndex: 0, endIndex: 1 },
      reason: /1 bytes, the converter needs 2/,
    },
    {
      name: "negative index",
      data: bytes(1),
      conv: { startIndex: -1, endIndex: 0 },
      reason: /startIndex must be a non-negative integer/,
    },
    {
      name: "unknown operation",
      data: bytes(1),
      conv: {
        startIndex: 0,
        endIndex: 0,
        orderOfOperations: [{ operationType: "Modulo" as never, operationValue: 2 }],
      },
      reason: /operationType must be Add, Subtract, Multiply or Divide, got Modulo/,
    },
    {
      name: "division by zero",
      data: bytes(1),
      conv: {
        startIndex: 0,
        endIndex: 0,
        orderOfOperations: [{ operationType: "Divide", operationValue: 0 }],
      },
      reason: /divides by zero/,
    },
    {
      name: "both shifts",
      data: bytes(1),
      conv: { startIndex: 0, endIndex: 0, shiftLeft: 1, shiftRight: 1 },
      reason: /mutually exclusive/,
    },
    {
      name: "field wider than 8 bytes",
      data: new Uint8Array(10),
      conv: { startIndex: 0, endIndex: 9 },
      reason: /at most 8 bytes/,
    },
  ];
  it.each(failures)("refuses $name", ({ data, conv, reason }) => {
    const got = convertRead(data, conv);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.reason).toMatch(reason);
  });
});

describe("sliceField", () => {
  it.each([
    { start: 0, end: 2, want: [1, 2, 3] },
    { start: 2, end: 0, want: [3, 2, 1] },
    { start: 1, end: 1, want: [2] },
  ])("slices $start..$end", ({ start, end, want }) => {
    expect(Array.from(sliceField(bytes(1, 2, 3), start, end) ?? [])).toEqual(want);
  });
});

describe("hasConversion / validateConverter", () => {
  it.each([
    { conv: undefined, want: false },
    { conv: {}, want: false },
    { conv: { startIndex: 0 }, want: true },
    { conv: { orderOfOperations: [] }, want: true },
  ])("hasConversion($conv) = $want", ({ conv, want }) => {
    expect(hasConversion(conv as never)).toBe(want);
  });
  it("accepts a well-formed converter", () => {
    expect(validateConverter({ startIndex: 3, endIndex: 2, shiftRight: 2 })).toBeUndefined();
  });
});
