import type { BluetoothVisitorConfig, PropertyDataType } from "@kubeedge-ts/contract";
import { decodeRead, encodeWrite, validateDataWrite } from "./value-codec.js";

const SWITCH: BluetoothVisitorConfig = {
  characteristicUUID: "f000aa0204514000b000000000000000",
  dataWrite: { ON: "AQ==", OFF: "AA==" },
};
const TEMP: BluetoothVisitorConfig = {
  characteristicUUID: "f000aa0104514000b000000000000000",
  dataConverter: {
    startIndex: 1,
    endIndex: 0,
    shiftRight: 2,
    orderOfOperations: [{ operationType: "Multiply", operationValue: 0.03125 }],
  },
};
const PLAIN: BluetoothVisitorConfig = { characteristicUUID: "2a19" };

describe("encodeWrite", () => {
  const cases: {
    name: string;
    value: string;
    v: BluetoothVisitorConfig;
    t: PropertyDataType;
    hex?: string;
    err?: RegExp;
  }[] = [
    { name: "maps ON through dataWrite", value: "ON", v: SWITCH, t: "string", hex: "01" },
    { name: "maps OFF through dataWrite", value: "OFF", v: SWITCH, t: "string", hex: "00" },
    {
      name: "matches dataWrite keys case-insensitively",
      value: "on",
      v: SWITCH,
      t: "string",
      hex: "01",
    },
    {
      name: "writes bytes properties as base64",
      value: "AQID",
      v: PLAIN,
      t: "bytes",
      hex: "010203",
    },
    {
      name: "names the known keys for an unmapped value",
      value: "DIM",
      v: SWITCH,
      t: "string",
      err: /no dataWrite entry for "DIM" \(known: ON, OFF\)/,
    },
    {
      name: "refuses a value with no map at all",
      value: "5",
      v: PLAIN,
      t: "int",
      err: /no dataWrite map/,
    },
    { name: "refuses bad base64 for bytes", value: "!!", v: PLAIN, t: "bytes", err: /not base64/ },
  ];
  it.each(cases)("$name", ({ value, v, t, hex, err }) => {
    const got = encodeWrite(value, v, t);
    if (hex !== undefined) expect(got).toEqual({ ok: true, value: Buffer.from(hex, "hex") });
    else expect(got.ok ? "" : got.reason).toMatch(err!);
  });
});

describe("decodeRead", () => {
  const cases: {
    name: string;
    hex: string;
    v: BluetoothVisitorConfig;
    t: PropertyDataType;
    want?: string;
    err?: RegExp;
  }[] = [
    { name: "maps bytes back to the dataWrite key", hex: "01", v: SWITCH, t: "string", want: "ON" },
    { name: "converts and formats a float", hex: "900c0000", v: TEMP, t: "float", want: "25.125" },
    { name: "rounds an int", hex: "900c0000", v: TEMP, t: "int", want: "25" },
    { name: "reads a plain byte as an int", hex: "5a", v: PLAIN, t: "int", want: "90" },
    {
      name: "reads utf8 strings, dropping NUL padding",
      hex: "4b45000000",
      v: PLAIN,
      t: "string",
      want: "KE",
    },
    { name: "reads bytes as base64", hex: "010203", v: PLAIN, t: "bytes", want: "AQID" },
    { name: "reads a nonzero byte as true", hex: "02", v: PLAIN, t: "boolean", want: "true" },
    {
      name: "reports a short value",
      hex: "01",
      v: TEMP,
      t: "float",
      err: /1 bytes, the converter needs 2/,
    },
    {
      name: "refuses an empty value as a number",
      hex: "",
      v: PLAIN,
      t: "int",
      err: /cannot read 0 bytes/,
    },
  ];
  it.each(cases)("$name", ({ hex, v, t, want, err }) => {
    const got = decodeRead(Buffer.from(hex, "hex"), v, t);
    if (want !== undefined) expect(got).toEqual({ ok: true, value: want });
    else expect(got.ok ? "" : got.reason).toMatch(err!);
  });
});

describe("validateDataWrite", () => {
  it.each([
    { map: undefined, want: undefined },
    { map: { ON: "AQ==" }, want: undefined },
    { map: { ON: "not base64!" }, want: 'dataWrite["ON"] must be base64 bytes' },
    { map: { ON: 1 }, want: 'dataWrite["ON"] must be base64 bytes' },
  ])("$map", ({ map, want }) => {
    expect(validateDataWrite(map as never)).toBe(want);
  });
});
