import { describe, expect, it } from "vitest";
import {
  GrpcCode,
  GrpcError,
  grpcCodeOfHttpStatus,
  grpcStatusOf,
  grpcTimeoutHeader,
} from "./grpc-status.js";

describe("gRPC status", () => {
  it.each([
    [{ "grpc-status": "0" }, { code: GrpcCode.OK, details: "" }],
    [
      { "grpc-status": "5", "grpc-message": "an error occurred when try to find container" },
      { code: GrpcCode.NOT_FOUND, details: "an error occurred when try to find container" },
    ],
    [
      { "grpc-status": "2", "grpc-message": "failed to pull %22x%22: 100%25 f%C3%BCr nichts" },
      { code: GrpcCode.UNKNOWN, details: 'failed to pull "x": 100% für nichts' },
    ],
    [
      { "grpc-status": "13", "grpc-message": "50%" },
      { code: GrpcCode.INTERNAL, details: "50%" },
    ],
    [{ "grpc-status": "abc" }, { code: GrpcCode.UNKNOWN, details: "" }],
  ])("reads %j", (headers, expected) => {
    expect(grpcStatusOf(headers)).toEqual(expected);
  });

  it("has none without grpc-status", () => {
    expect(grpcStatusOf({ "content-type": "application/grpc" })).toBeUndefined();
  });

  it.each([
    [400, GrpcCode.INTERNAL],
    [401, GrpcCode.UNAUTHENTICATED],
    [404, GrpcCode.UNIMPLEMENTED],
    [503, GrpcCode.UNAVAILABLE],
    [500, GrpcCode.UNKNOWN],
  ])("maps HTTP %i to gRPC %i", (http, code) => {
    expect(grpcCodeOfHttpStatus(http)).toBe(code);
  });

  it.each([
    [30_000, "30000m"],
    [0.4, "1m"],
    [99_999_999, "99999999m"],
    [100_000_000, "100000S"],
    [1e12, "277778H"],
  ])("writes a deadline of %d ms as grpc-timeout %s", (ms, header) => {
    expect(grpcTimeoutHeader(ms)).toBe(header);
  });

  it("names the code in the error's message and keeps the server's details", () => {
    const err = new GrpcError(GrpcCode.NOT_FOUND, "no such container");
    expect(err.message).toBe("5 NOT_FOUND: no such container");
    expect(err).toMatchObject({ code: 5, details: "no such container", name: "GrpcError" });
  });
});
