/**
 * The CRI client end to end against a stand-in runtime: a real HTTP/2 server on a unix socket
 * that answers runtime.v1 calls the way containerd does (messages from the same .proto).
 * The real containerd is exercised by local/containerd and e2e/containerd.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { type Http2Server, createServer } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import protobuf from "protobufjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CRI_API_PROTO } from "./api-proto.js";
import { type Cri, connectCri } from "./client.js";
import { GrpcFrameReader, encodeGrpcFrame } from "./grpc-frame.js";
import { GrpcCode, GrpcError } from "./grpc-status.js";

const root = protobuf.parse(CRI_API_PROTO, { keepCase: true }).root;
let dir: string;
let server: Http2Server;
let cri: Cri;
const requests: { path: string; body: Record<string, unknown> }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "cri-client-"));
  const socket = join(dir, "containerd.sock");
  requests.length = 0;
  server = createServer();
  server.on("stream", (stream, headers) => {
    const path = String(headers[":path"]);
    const reader = new GrpcFrameReader(1 << 20);
    const frames: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => frames.push(...reader.push(chunk)));
    stream.on("end", () => {
      const method = root.lookupService(path.split("/")[1]!).methods[path.split("/")[2]!]!;
      const request = root.lookupType(method.requestType);
      requests.push({ path, body: request.toObject(request.decode(frames[0]!)) });
      if (path.endsWith("/ContainerStatus")) {
        stream.respond(
          {
            ":status": 200,
            "content-type": "application/grpc",
            "grpc-status": String(GrpcCode.NOT_FOUND),
            "grpc-message": encodeURIComponent('container "c9" not found'),
          },
          { endStream: true },
        );
        return;
      }
      const response = root.lookupType(method.responseType);
      const body = { version: "0.1.0", runtime_name: "containerd", runtime_api_version: "v1" };
      stream.respond(
        { ":status": 200, "content-type": "application/grpc" },
        { waitForTrailers: true },
      );
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(encodeGrpcFrame(response.encode(response.fromObject(body)).finish()));
    });
  });
  await new Promise<void>(resolve => server.listen(socket, resolve));
  cri = await connectCri(`unix://${socket}`);
});

afterEach(async () => {
  cri.close();
  await new Promise(resolve => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("CRI client over node:http2", () => {
  it("calls runtime.v1.RuntimeService/Version and returns the decoded answer", async () => {
    expect(await cri.version()).toEqual({
      version: "0.1.0",
      runtimeName: "containerd",
      runtimeVersion: "",
      runtimeApiVersion: "v1",
    });
    expect(requests).toEqual([
      { path: "/runtime.v1.RuntimeService/Version", body: { version: "v1" } },
    ]);
  });

  it("rejects with the runtime's message, keeping the gRPC status code as the cause", async () => {
    const err = await cri.containerStatus("c9").then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toBe('CRI ContainerStatus: container "c9" not found');
    expect(err?.cause).toBeInstanceOf(GrpcError);
    expect(err?.cause).toMatchObject({ code: GrpcCode.NOT_FOUND });
    expect(requests[0]?.body).toEqual({ container_id: "c9" });
  });
});
