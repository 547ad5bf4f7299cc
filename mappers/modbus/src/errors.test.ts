import { describe, expect, it } from "vitest";
import {
  ModbusDeviceError,
  ModbusOfflineError,
  classify,
  fromJsModbus,
  needsReset,
} from "./errors.js";

const exception = (code: number) => ({
  err: "ModbusException",
  message: "x",
  response: { body: { code, fc: 3 } },
});

describe("Modbus error classification", () => {
  it.each<[string, unknown, { state: string; reason: string | RegExp }]>([
    [
      "illegal data address",
      fromJsModbus(exception(2), "here"),
      { state: "unhealthy", reason: "illegal data address (exception 2, function 3) at here" },
    ],
    [
      "server device busy",
      fromJsModbus(exception(6), "here"),
      { state: "unhealthy", reason: "server device busy (exception 6, function 3) at here" },
    ],
    [
      "gateway target silent",
      fromJsModbus(exception(11), "here"),
      {
        state: "offline",
        reason: "gateway target device failed to respond (exception 11, function 3) at here",
      },
    ],
    [
      "timeout",
      fromJsModbus({ err: "Timeout", message: "Req timed out" }, "here"),
      { state: "offline", reason: "no response within timeout at here" },
    ],
    [
      "crc mismatch",
      fromJsModbus({ err: "crcMismatch", message: "bad crc" }, "here"),
      { state: "unhealthy", reason: "crcMismatch: bad crc at here" },
    ],
    [
      "socket error",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      { state: "offline", reason: "ECONNREFUSED: connect ECONNREFUSED" },
    ],
    [
      "conversion",
      new RangeError("70000 does not fit"),
      { state: "unhealthy", reason: "cannot convert value: 70000 does not fit" },
    ],
    ["our offline error", new ModbusOfflineError("gone"), { state: "offline", reason: "gone" }],
    ["our device error", new ModbusDeviceError("bad"), { state: "unhealthy", reason: "bad" }],
  ])("%s", (_n, err, expected) => {
    expect(classify(err)).toEqual(expected);
  });

  it.each([
    ["Timeout", true],
    ["OutOfSync", true],
    ["crcMismatch", true],
    ["ModbusException", false],
  ])("%s needs a transport reset: %s", (err, expected) => {
    expect(needsReset({ err, message: "" })).toBe(expected);
  });
});
