import { describe, expect, it } from "vitest";
import { GrpcFrameReader, encodeGrpcFrame } from "./grpc-frame.js";
import { GrpcCode, GrpcError } from "./grpc-status.js";

const frames = (...messages: string[]): Buffer =>
  Buffer.concat(messages.map(m => encodeGrpcFrame(Buffer.from(m))));

describe("gRPC length-prefixed frames", () => {
  it("prefixes a message with flag 0 and its big-endian length", () => {
    expect([...encodeGrpcFrame(Buffer.from("abc"))]).toEqual([0, 0, 0, 0, 3, 97, 98, 99]);
    expect([...encodeGrpcFrame(new Uint8Array(0))]).toEqual([0, 0, 0, 0, 0]);
  });

  it.each([
    ["one chunk, one frame", [frames("hello")], ["hello"]],
    ["an empty message", [frames("")], [""]],
    ["two frames in one chunk", [frames("a", "bc")], ["a", "bc"]],
    [
      "a frame split inside its prefix and its body",
      [frames("hello").subarray(0, 2), frames("hello").subarray(2, 7), frames("hello").subarray(7)],
      ["hello"],
    ],
    ["byte by byte", [...frames("xy")].map(b => Buffer.from([b])), ["xy"]],
  ])("reads %s", (_, chunks, expected) => {
    const reader = new GrpcFrameReader(1024);
    const got = chunks.flatMap(c => reader.push(c)).map(m => m.toString());
    expect(got).toEqual(expected);
    expect(reader.pendingBytes).toBe(0);
  });

  it("keeps an unfinished frame pending", () => {
    const reader = new GrpcFrameReader(1024);
    expect(reader.push(frames("hello").subarray(0, 6))).toEqual([]);
    expect(reader.pendingBytes).toBe(6);
  });

  it("refuses a compressed frame (none was asked for)", () => {
    const reader = new GrpcFrameReader(1024);
    const compressed = Buffer.from([1, 0, 0, 0, 1, 42]);
    expect(() => reader.push(compressed)).toThrow(
      expect.objectContaining({ code: GrpcCode.INTERNAL }),
    );
  });

  it("refuses a frame over the limit from its prefix alone", () => {
    const reader = new GrpcFrameReader(10);
    const prefix = Buffer.from([0, 0, 0, 0, 11]);
    let error: unknown;
    try {
      reader.push(prefix);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GrpcError);
    expect(error).toMatchObject({ code: GrpcCode.RESOURCE_EXHAUSTED });
  });
});
