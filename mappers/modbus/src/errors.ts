/**
 * Failure classification: a device that cannot be reached is `offline`; a device that answers
 * with a Modbus exception (or garbage) is `unhealthy`, with the reason.
 */
import type { Failure } from "@kubeedge-ts/mapper-common";

/** The endpoint cannot be reached (refused, closed, timed out, waiting to reconnect). */
export class ModbusOfflineError extends Error {
  readonly state = "offline";
}

/** The request reached the device but did not succeed. */
export class ModbusDeviceError extends Error {
  readonly state = "unhealthy";
}

/** Exception codes from the Modbus application protocol spec, section 7. */
const EXCEPTIONS: Record<number, string> = {
  1: "illegal function",
  2: "illegal data address",
  3: "illegal data value",
  4: "server device failure",
  5: "acknowledge",
  6: "server device busy",
  8: "memory parity error",
  10: "gateway path unavailable",
  11: "gateway target device failed to respond",
};
/** A gateway saying its target did not answer means the device is gone, not broken. */
const OFFLINE_EXCEPTIONS = new Set([10, 11]);

interface JsModbusError {
  err: string;
  message: string;
  response?: { body?: { code?: number; fc?: number } };
}

function isJsModbusError(x: unknown): x is JsModbusError {
  return typeof x === "object" && x !== null && typeof (x as JsModbusError).err === "string";
}

function exceptionError(x: JsModbusError, where: string): Error {
  const code = x.response?.body?.code ?? 0;
  const fc = x.response?.body?.fc;
  const name = EXCEPTIONS[code] ?? "unknown exception";
  const text = `${name} (exception ${code}, function ${fc}) at ${where}`;
  return OFFLINE_EXCEPTIONS.has(code) ? new ModbusOfflineError(text) : new ModbusDeviceError(text);
}

/** Turns a jsmodbus rejection (not an Error instance) into one of our errors. */
export function fromJsModbus(x: unknown, where: string): Error {
  if (!isJsModbusError(x)) return x instanceof Error ? x : new Error(String(x));
  switch (x.err) {
    case "ModbusException":
      return exceptionError(x, where);
    case "Timeout":
      return new ModbusOfflineError(`no response within timeout at ${where}`);
    case "Offline":
    case "ManuallyCleared":
      return new ModbusOfflineError(`${x.message} at ${where}`);
    default:
      return new ModbusDeviceError(`${x.err}: ${x.message} at ${where}`);
  }
}

/** jsmodbus errors that leave the byte stream out of step: the transport must be reopened. */
export function needsReset(x: unknown): boolean {
  return isJsModbusError(x) && ["Timeout", "OutOfSync", "crcMismatch", "Protocol"].includes(x.err);
}

export function classify(err: unknown): Failure {
  if (err instanceof ModbusOfflineError) return { state: "offline", reason: err.message };
  if (err instanceof ModbusDeviceError) return { state: "unhealthy", reason: err.message };
  if (err instanceof RangeError)
    return { state: "unhealthy", reason: `cannot convert value: ${err.message}` };
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code === "string")
    return { state: "offline", reason: `${code}: ${(err as Error).message}` };
  return { state: "unhealthy", reason: err instanceof Error ? err.message : String(err) };
}
