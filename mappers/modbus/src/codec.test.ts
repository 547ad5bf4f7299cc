import { describe, expect, it } from "vitest";
import type { ModbusVisitorConfig, PropertyDataType } from "@kubeedge-ts/contract";
import { decodeBits, decodeRegisters, encodeBits, encodeRegisters, swapWords } from "./codec.js";

const hr = (c: Partial<ModbusVisitorConfig> = {}): ModbusVisitorConfig => ({
  register: "HoldingRegister",
  offset: 0,
  limit: 1,
  ...c,
});
const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ""), "hex");

describe("swapWords", () => {
  it.each([
    ["no swap", hr({ limit: 2 }), "0102 0304", "0102 0304"],
    [
      "isSwap swaps bytes in each register",
      hr({ limit: 2, isSwap: true }),
      "0102 0304",
      "0201 0403",
    ],
    [
      "isRegisterSwap reverses registers",
      hr({ limit: 2, isRegisterSwap: true }),
      "0102 0304",
      "0304 0102",
    ],
    ["both", hr({ limit: 2, isSwap: true, isRegisterSwap: true }), "0102 0304", "0403 0201"],
    [
      "four registers reversed",
      hr({ limit: 4, isRegisterSwap: true }),
      "0001 0002 0003 0004",
      "0004 0003 0002 0001",
    ],
  ])("%s", (_n, config, input, expected) => {
    expect(swapWords(hex(input), config).toString("hex")).toBe(hex(expected).toString("hex"));
  });
});

describe("decodeRegisters", () => {
  it.each<[string, Partial<ModbusVisitorConfig>, PropertyDataType, string, unknown]>([
    ["int16", {}, "int", "0019", 25],
    ["negative int16", {}, "int", "ffec", -20],
    ["int16 with scale", { scale: 0.1 }, "float", "00d7", 21.5],
    ["int32", { limit: 2 }, "int", "0001 0000", 65536],
    ["negative int32 low word first", { limit: 2, isRegisterSwap: true }, "int", "fffe ffff", -2],
    ["int64", { limit: 4 }, "int", "0000 0000 0001 0000", 65536],
    ["float32 ABCD", { limit: 2 }, "float", "41ac 0000", 21.5],
    [
      "float32 CDAB (register swap)",
      { limit: 2, isRegisterSwap: true },
      "float",
      "0000 41ac",
      21.5,
    ],
    ["float32 BADC (byte swap)", { limit: 2, isSwap: true }, "float", "ac41 0000", 21.5],
    [
      "float32 DCBA (both)",
      { limit: 2, isSwap: true, isRegisterSwap: true },
      "float",
      "0000 ac41",
      21.5,
    ],
    ["float64", { limit: 4 }, "double", "4035 8000 0000 0000", 21.5],
    ["double from one register with scale", { scale: 0.01 }, "double", "0960", 24],
    // 3699 × 0.001 is 3.6990000000000003 in binary floating point: the scale's 3 decimals.
    ["millibar as bar, rounded to the scale", { scale: 0.001 }, "double", "0e73", 3.699],
    ["boolean true", {}, "boolean", "0001", true],
    ["boolean false", {}, "boolean", "0000", false],
    ["string with trailing NULs", { limit: 3 }, "string", "6869 2100 0000", "hi!"],
    ["string byte-swapped", { limit: 1, isSwap: true }, "string", "6968", "hi"],
    ["bytes", { limit: 1 }, "bytes", "0102", new Uint8Array([1, 2])],
  ])("%s", (_n, c, type, input, expected) => {
    expect(decodeRegisters(hex(input), hr(c), type)).toEqual(expected);
  });

  it.each<[string, Partial<ModbusVisitorConfig>, PropertyDataType, string, RegExp]>([
    ["three registers for an int", { limit: 3 }, "int", "0000 0000 0000", /cannot span 3/],
    ["short response", { limit: 2 }, "int", "0001", /expected 4 bytes/],
  ])("refuses %s", (_n, c, type, input, error) => {
    expect(() => decodeRegisters(hex(input), hr(c), type)).toThrow(error);
  });
});

describe("encodeRegisters", () => {
  it.each<[string, Partial<ModbusVisitorConfig>, PropertyDataType, unknown, string]>([
    ["int16", {}, "int", 30, "001e"],
    ["negative int16", {}, "int", -20, "ffec"],
    ["uint16 range", {}, "int", 65535, "ffff"],
    ["scaled float into one register", { scale: 0.1 }, "float", 21.5, "00d7"],
    ["int32 low word first", { limit: 2, isRegisterSwap: true }, "int", 65536, "0000 0001"],
    ["float32 DCBA", { limit: 2, isSwap: true, isRegisterSwap: true }, "float", 21.5, "0000 ac41"],
    ["float64", { limit: 4 }, "double", 21.5, "4035 8000 0000 0000"],
    ["negative int64", { limit: 4 }, "int", -1, "ffff ffff ffff ffff"],
    ["boolean in the last register", { limit: 2 }, "boolean", true, "0000 0001"],
    ["string padded", { limit: 3 }, "string", "hi!", "6869 2100 0000"],
  ])("%s", (_n, c, type, value, expected) => {
    expect(encodeRegisters(value as never, hr(c), type).toString("hex")).toBe(
      hex(expected).toString("hex"),
    );
  });

  it.each<[string, Partial<ModbusVisitorConfig>, PropertyDataType, unknown, RegExp]>([
    ["int16 overflow", {}, "int", 70000, /does not fit in 1 register/],
    ["int16 underflow", {}, "int", -40000, /does not fit/],
    ["scaled overflow", { scale: 0.001 }, "float", 100, /does not fit/],
    ["string too long", { limit: 1 }, "string", "abc", /3 bytes do not fit/],
    ["three registers", { limit: 3 }, "float", 1, /cannot span 3/],
  ])("refuses %s", (_n, c, type, value, error) => {
    expect(() => encodeRegisters(value as never, hr(c), type)).toThrow(error);
  });

  it.each<[Partial<ModbusVisitorConfig>, PropertyDataType, unknown]>([
    [{ limit: 2, isSwap: true }, "int", -123456],
    [{ limit: 2, isRegisterSwap: true }, "float", 3.25],
    [{ limit: 4, isSwap: true, isRegisterSwap: true }, "double", Math.PI],
    [{ scale: 0.5 }, "int", 300],
    [{ limit: 4 }, "string", "kubeedge"],
  ])("round-trips %j %s %s", (c, type, value) => {
    expect(decodeRegisters(encodeRegisters(value as never, hr(c), type), hr(c), type)).toEqual(
      value,
    );
  });
});

describe("bits", () => {
  const coil = (limit: number, scale?: number): ModbusVisitorConfig => ({
    register: "CoilRegister",
    offset: 0,
    limit,
    scale,
  });
  it.each<[ModbusVisitorConfig, PropertyDataType, (number | boolean)[], unknown]>([
    [coil(1), "boolean", [1, 0, 0, 0, 0, 0, 0, 0], true],
    [coil(1), "boolean", [false], false],
    [coil(3), "int", [1, 0, 1, 1], 5],
    [coil(2, 10), "int", [0, 1], 20],
  ])("decodes %j as %s", (c, type, bits, expected) => {
    expect(decodeBits(bits, c, type)).toBe(expected);
  });

  it.each<[ModbusVisitorConfig, PropertyDataType, unknown, boolean[]]>([
    [coil(1), "boolean", true, [true]],
    [coil(1), "boolean", false, [false]],
    [coil(3), "int", 5, [true, false, true]],
  ])("encodes %j %s %s", (c, type, value, expected) => {
    expect(encodeBits(value as never, c, type)).toEqual(expected);
  });

  it("refuses strings and values too wide for the coils", () => {
    expect(() => decodeBits([1], coil(1), "string")).toThrow(/cannot be read/);
    expect(() => encodeBits(8, coil(3), "int")).toThrow(/does not fit in 3 coil/);
    expect(() => decodeBits([1], coil(2), "int")).toThrow(/expected 2 bits/);
  });
});
