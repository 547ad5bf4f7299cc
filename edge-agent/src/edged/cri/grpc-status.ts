/**
 * gRPC status on the wire (grpc-status / grpc-message trailers, grpc-timeout) and the error a
 * failed call rejects with. Codes are gRPC's canonical ones (google.rpc.Code).
 */
import type { IncomingHttpHeaders } from "node:http2";

export enum GrpcCode {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

/** A call the server (or the transport) ended with a non-OK status. */
export class GrpcError extends Error {
  constructor(
    readonly code: GrpcCode,
    /** The server's grpc-message, decoded (grpc-js calls it `details`). */
    readonly details: string,
    options?: ErrorOptions,
  ) {
    super(`${code} ${GrpcCode[code] ?? "UNKNOWN"}: ${details}`, options);
    this.name = "GrpcError";
  }
}

export interface GrpcStatus {
  code: GrpcCode;
  details: string;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The status in a response's trailers (or, for a trailers-only response, its headers);
 * undefined when there is none. grpc-message is percent-encoded UTF-8; a malformed one is kept
 * as sent rather than lost.
 */
export function grpcStatusOf(h: IncomingHttpHeaders): GrpcStatus | undefined {
  const raw = header(h, "grpc-status");
  if (raw === undefined) return undefined;
  const code = /^\d+$/.test(raw) ? Number(raw) : GrpcCode.UNKNOWN;
  const message = header(h, "grpc-message") ?? "";
  let details = message;
  try {
    details = decodeURIComponent(message);
  } catch {
    // not valid percent-encoding: show it raw
  }
  return { code, details };
}

/**
 * The status for an HTTP status other than 200 from something that is not a gRPC server, as
 * gRPC's "HTTP to gRPC status code mapping" says.
 */
export function grpcCodeOfHttpStatus(status: number): GrpcCode {
  switch (status) {
    case 400:
      return GrpcCode.INTERNAL;
    case 401:
      return GrpcCode.UNAUTHENTICATED;
    case 403:
      return GrpcCode.PERMISSION_DENIED;
    case 404:
      return GrpcCode.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcCode.UNAVAILABLE;
    default:
      return GrpcCode.UNKNOWN;
  }
}

/** The grpc-timeout header: at most 8 digits, so long deadlines go in coarser units. */
export function grpcTimeoutHeader(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1e8) return `${whole}m`;
  const seconds = Math.ceil(whole / 1000);
  if (seconds < 1e8) return `${seconds}S`;
  return `${Math.min(99_999_999, Math.ceil(seconds / 3600))}H`;
}
