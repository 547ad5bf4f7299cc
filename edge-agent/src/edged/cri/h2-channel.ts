/**
 * Unary gRPC calls over HTTP/2 without TLS (h2c) on a unix socket, on Node's own node:http2: one
 * request message, one response message, the status in the trailers. This is all a CRI client
 * needs (every call edged makes is unary), with less memory than @grpc/grpc-js (benchmarks.md).
 * One HTTP/2 session is shared by all calls and opened again on the next call after it closes
 * (runtime restarted, GOAWAY); it holds the event loop only while calls are in flight.
 */
import type * as Http2 from "node:http2";
import { GrpcFrameReader, encodeGrpcFrame } from "./grpc-frame.js";
import {
  GrpcCode,
  GrpcError,
  type GrpcStatus,
  grpcCodeOfHttpStatus,
  grpcStatusOf,
  grpcTimeoutHeader,
} from "./grpc-status.js";

type Http2Module = typeof Http2;
type NetModule = typeof import("node:net");

export interface H2ChannelOptions {
  /** Responses longer than this fail with RESOURCE_EXHAUSTED (grpc-js's receive limit). */
  maxReceiveMessageBytes: number;
}

export class H2Channel {
  private session: Http2.ClientHttp2Session | undefined;
  private inFlight = 0;
  private closed = false;

  private constructor(
    private readonly http2: Http2Module,
    private readonly net: NetModule,
    private readonly socketPath: string,
    private readonly options: H2ChannelOptions,
  ) {}

  /** node:http2 and node:net load here, not with the agent: only a node running pods needs them. */
  static async open(socketPath: string, options: H2ChannelOptions): Promise<H2Channel> {
    const [http2, net] = await Promise.all([import("node:http2"), import("node:net")]);
    return new H2Channel(http2, net, socketPath, options);
  }

  /** Sends `request` (an encoded message) to `path` (`/package.Service/Method`). */
  unary(path: string, request: Uint8Array, timeoutMs: number): Promise<Buffer> {
    if (this.closed) {
      return Promise.reject(new GrpcError(GrpcCode.UNAVAILABLE, "channel closed"));
    }
    this.hold();
    return this.exchange(path, request, timeoutMs).finally(() => this.release());
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }

  private exchange(path: string, request: Uint8Array, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      let stream: Http2.ClientHttp2Stream;
      try {
        stream = this.connected().request({
          ":method": "POST",
          ":path": path,
          "content-type": "application/grpc",
          te: "trailers",
          "grpc-timeout": grpcTimeoutHeader(timeoutMs),
        });
      } catch (err) {
        reject(new GrpcError(GrpcCode.UNAVAILABLE, (err as Error).message, { cause: err }));
        return;
      }
      const call = new UnaryResponse(this.options.maxReceiveMessageBytes);
      // The server enforces grpc-timeout too; this bounds a server or socket that went silent.
      const timer = setTimeout(() => {
        call.fail(
          new GrpcError(GrpcCode.DEADLINE_EXCEEDED, `deadline of ${timeoutMs} ms exceeded`),
        );
        stream.close(this.http2.constants.NGHTTP2_CANCEL);
      }, timeoutMs);
      stream.on("response", headers => call.onHeaders(headers));
      stream.on("data", (chunk: Buffer) => {
        if (!call.onData(chunk)) stream.close(this.http2.constants.NGHTTP2_CANCEL);
      });
      stream.on("trailers", trailers => call.onTrailers(trailers));
      stream.on("error", err => call.fail(transportError(err)));
      stream.on("close", () => {
        clearTimeout(timer);
        const result = call.result(stream.rstCode);
        if (result instanceof Error) reject(result);
        else resolve(result);
      });
      stream.end(encodeGrpcFrame(request));
    });
  }

  /** The open session, or a new one to the socket. */
  private connected(): Http2.ClientHttp2Session {
    const current = this.session;
    if (current && !current.closed && !current.destroyed) return current;
    const session = this.http2.connect("http://localhost", {
      createConnection: () => this.net.connect(this.socketPath),
    });
    // An error ends the session; its streams fail with it. Without a listener it would throw.
    session.on("error", () => undefined);
    const forget = (): void => {
      if (this.session === session) this.session = undefined;
    };
    session.on("close", forget);
    session.on("goaway", forget);
    if (this.inFlight === 0) session.unref();
    this.session = session;
    return session;
  }

  private hold(): void {
    if (this.inFlight++ === 0) this.session?.ref();
  }

  private release(): void {
    if (--this.inFlight === 0) this.session?.unref();
  }
}

const transportError = (err: Error): GrpcError =>
  new GrpcError(GrpcCode.UNAVAILABLE, err.message, { cause: err });

/** What one unary call has received so far, and how it ends. */
class UnaryResponse {
  private readonly reader: GrpcFrameReader;
  private message: Buffer | undefined;
  private status: GrpcStatus | undefined;
  private failure: GrpcError | undefined;

  constructor(maxMessageBytes: number) {
    this.reader = new GrpcFrameReader(maxMessageBytes);
  }

  onHeaders(headers: Http2.IncomingHttpHeaders & Http2.IncomingHttpStatusHeader): void {
    const httpStatus = headers[":status"] ?? 0;
    if (httpStatus !== 200) {
      this.fail(new GrpcError(grpcCodeOfHttpStatus(httpStatus), `HTTP status ${httpStatus}`));
      return;
    }
    // A trailers-only response (the usual form of an error) has its status here.
    this.status ??= grpcStatusOf(headers);
  }

  /** False when the call has failed and the stream should be cancelled. */
  onData(chunk: Buffer): boolean {
    if (this.failure) return false;
    try {
      for (const message of this.reader.push(chunk)) {
        if (this.message) {
          throw new GrpcError(GrpcCode.INTERNAL, "more than one response message to a unary call");
        }
        this.message = message;
      }
      return true;
    } catch (err) {
      this.fail(err as GrpcError);
      return false;
    }
  }

  onTrailers(trailers: Http2.IncomingHttpHeaders): void {
    this.status = grpcStatusOf(trailers) ?? this.status;
  }

  /** The first failure wins: a deadline, then the cancel it causes, is one error. */
  fail(error: GrpcError): void {
    this.failure ??= error;
  }

  result(rstCode: number): Buffer | GrpcError {
    if (this.failure) return this.failure;
    const status = this.status;
    if (!status) {
      const why = rstCode ? `stream reset (HTTP/2 error ${rstCode})` : "no grpc-status";
      return new GrpcError(GrpcCode.UNAVAILABLE, `call ended without a status: ${why}`);
    }
    if (status.code !== GrpcCode.OK) return new GrpcError(status.code, status.details);
    if (!this.message || this.reader.pendingBytes > 0) {
      return new GrpcError(GrpcCode.INTERNAL, "no complete response message");
    }
    return this.message;
  }
}
