import { ErrorCode } from "@kubeedge-ts/contract";

/** Why a message was refused: the code and reason of KubeEdge's error result. */
export interface TwinFailure {
  ok: false;
  code: ErrorCode;
  reason: string;
}

export type Outcome<T> = { ok: true; value: T } | TwinFailure;

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, reason: string): TwinFailure {
  return { ok: false, code, reason };
}

export const badRequest = (reason: string): TwinFailure => fail(ErrorCode.BadRequest, reason);
export const notFound = (reason: string): TwinFailure => fail(ErrorCode.NotFound, reason);
export const conflict = (reason: string): TwinFailure => fail(ErrorCode.Conflict, reason);
