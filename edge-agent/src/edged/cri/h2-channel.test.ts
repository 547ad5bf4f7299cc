/**
 * The unary gRPC channel against a real HTTP/2 server (node:http2, h2c) on a unix socket, which
 * answers as a gRPC server does: length-prefixed messages, status in the trailers, or
 * trailers-only for an error.
 */
import { mkdtempSync, rmSync } from "node:fs";
import {
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
  createServer,
} from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GrpcFrameReader, encodeGrpcFrame } from "./grpc-frame.js";
import { GrpcCode, GrpcError } from "./grpc-status.js";
import { H2Channel } from "./h2-channel.js";

type Handler = (stream: ServerHttp2Stream, request: Buffer, headers: IncomingHttpHeaders) => void;

let dir: string;
let server: Http2Server;
let socket: string;
let handler: Handler;
let channel: H2Channel;
const seen: IncomingHttpHeaders[] = [];

/** A gRPC answer: one message, then grpc-status (and grpc-message) as trailers. */
function answer(
  stream: ServerHttp2Stream,
  message: Buffer | undefined,
  status = 0,
  text = "",
): void {
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.on("wantTrailers", () => {
    const trailers: Record<string, string> = { "grpc-status": String(status) };
    if (text) trailers["grpc-message"] = encodeURIComponent(text);
    stream.sendTrailers(trailers);
  });
  stream.end(message ? encodeGrpcFrame(message) : undefined);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "h2-channel-"));
  socket = join(dir, "grpc.sock");
  seen.length = 0;
  handler = (stream, request) => answer(stream, Buffer.from([...request].reverse()));
  server = createServer();
  server.on("stream", (stream, headers) => {
    seen.push(headers);
    const reader = new GrpcFrameReader(1 << 20);
    const messages: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => messages.push(...reader.push(chunk)));
    stream.on("end", () => handler(stream, messages[0] ?? Buffer.alloc(0), headers));
  });
  await new Promise<void>(resolve => server.listen(socket, resolve));
  channel = await H2Channel.open(socket, { maxReceiveMessageBytes: 1024 });
});

afterEach(async () => {
  channel.close();
  await new Promise(resolve => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const failure = async (call: Promise<unknown>): Promise<GrpcError> => {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrpcError);
  return err as GrpcError;
};

describe("unary gRPC over node:http2 on a unix socket", () => {
  it("sends one framed request with gRPC's headers and returns the response message", async () => {
    const reply = await channel.unary("/pkg.Service/Echo", Buffer.from("abc"), 30_000);
    expect(reply.toString()).toBe("cba");
    expect(seen[0]).toMatchObject({
      ":method": "POST",
      ":path": "/pkg.Service/Echo",
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": "30000m",
    });
  });

  it("runs concurrent calls on one connection", async () => {
    const replies = await Promise.all(
      ["one", "two", "three"].map(s => channel.unary("/pkg.S/Echo", Buffer.from(s), 5_000)),
    );
    expect(replies.map(r => r.toString())).toEqual(["eno", "owt", "eerht"]);
  });

  it("accepts an empty response message", async () => {
    handler = stream => answer(stream, Buffer.alloc(0));
    expect((await channel.unary("/pkg.S/Stop", Buffer.alloc(0), 5_000)).length).toBe(0);
  });

  it("rejects with the code and decoded message of an error in the trailers", async () => {
    handler = stream => answer(stream, undefined, GrpcCode.NOT_FOUND, 'container "x" not found');
    const err = await failure(channel.unary("/pkg.S/Status", Buffer.from("x"), 5_000));
    expect(err).toMatchObject({ code: GrpcCode.NOT_FOUND, details: 'container "x" not found' });
  });

  it("rejects with the status of a trailers-only response", async () => {
    handler = stream =>
      stream.respond(
        {
          ":status": 200,
          "content-type": "application/grpc",
          "grpc-status": String(GrpcCode.UNIMPLEMENTED),
          "grpc-message": "unknown service runtime.v1alpha2.RuntimeService",
        },
        { endStream: true },
      );
    const err = await failure(channel.unary("/pkg.S/X", Buffer.alloc(0), 5_000));
    expect(err).toMatchObject({
      code: GrpcCode.UNIMPLEMENTED,
      details: "unknown service runtime.v1alpha2.RuntimeService",
    });
  });

  it("maps an HTTP error status from a server that is not gRPC", async () => {
    handler = stream => {
      stream.respond({ ":status": 404 });
      stream.end("no");
    };
    const err = await failure(channel.unary("/pkg.S/X", Buffer.alloc(0), 5_000));
    expect(err.code).toBe(GrpcCode.UNIMPLEMENTED);
  });

  it("fails with DEADLINE_EXCEEDED when the server does not answer in time", async () => {
    handler = () => undefined;
    const started = Date.now();
    const err = await failure(channel.unary("/pkg.S/Slow", Buffer.alloc(0), 200));
    expect(err.code).toBe(GrpcCode.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(seen[0]?.["grpc-timeout"]).toBe("200m");
  });

  it("refuses a response over the receive limit", async () => {
    handler = stream => answer(stream, Buffer.alloc(2048));
    const err = await failure(channel.unary("/pkg.S/Big", Buffer.alloc(0), 5_000));
    expect(err.code).toBe(GrpcCode.RESOURCE_EXHAUSTED);
  });

  it("fails a stream that ends without a status", async () => {
    handler = stream => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.end(encodeGrpcFrame(Buffer.from("partial")));
    };
    const err = await failure(channel.unary("/pkg.S/X", Buffer.alloc(0), 5_000));
    expect(err.code).toBe(GrpcCode.UNAVAILABLE);
  });

  it("fails the calls of a connection the server drops, then connects again", async () => {
    handler = stream => stream.session?.destroy();
    const err = await failure(channel.unary("/pkg.S/X", Buffer.from("a"), 5_000));
    expect(err.code).toBe(GrpcCode.UNAVAILABLE);
    handler = (stream, request) => answer(stream, request);
    expect((await channel.unary("/pkg.S/X", Buffer.from("b"), 5_000)).toString()).toBe("b");
  });

  it("fails with UNAVAILABLE when nothing listens on the socket", async () => {
    const nowhere = await H2Channel.open(join(dir, "absent.sock"), { maxReceiveMessageBytes: 1 });
    const err = await failure(nowhere.unary("/pkg.S/X", Buffer.alloc(0), 5_000));
    expect(err.code).toBe(GrpcCode.UNAVAILABLE);
    nowhere.close();
  });

  it("refuses calls once closed", async () => {
    channel.close();
    const err = await failure(channel.unary("/pkg.S/X", Buffer.alloc(0), 5_000));
    expect(err).toMatchObject({ code: GrpcCode.UNAVAILABLE, details: "channel closed" });
  });
});
