/**
 * gRPC's message framing on an HTTP/2 stream (the "Length-Prefixed-Message" of the gRPC over
 * HTTP/2 protocol): a 1-byte compressed flag, a 4-byte big-endian length, then the message.
 * Edged never asks for compression (no `grpc-encoding`), so a compressed frame is an error.
 */
import { GrpcCode, GrpcError } from "./grpc-status.js";

const PREFIX_BYTES = 5;

/** One message as a frame: flag 0 (uncompressed), length, bytes. */
export function encodeGrpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, PREFIX_BYTES);
  return frame;
}

/**
 * Cuts the messages out of a stream's DATA chunks, which split and join frames arbitrarily.
 * Throws a GrpcError on a compressed frame (INTERNAL) or one longer than `maxMessageBytes`
 * (RESOURCE_EXHAUSTED, before buffering it).
 */
export class GrpcFrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number) {}

  /** The messages completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: Buffer[] = [];
    while (this.buffered.length >= PREFIX_BYTES) {
      const compressed = this.buffered.readUInt8(0);
      const length = this.buffered.readUInt32BE(1);
      if (compressed !== 0) {
        throw new GrpcError(GrpcCode.INTERNAL, "compressed message, none was asked for");
      }
      if (length > this.maxMessageBytes) {
        const why = `message of ${length} bytes exceeds the limit of ${this.maxMessageBytes}`;
        throw new GrpcError(GrpcCode.RESOURCE_EXHAUSTED, why);
      }
      if (this.buffered.length < PREFIX_BYTES + length) break;
      messages.push(this.buffered.subarray(PREFIX_BYTES, PREFIX_BYTES + length));
      this.buffered = this.buffered.subarray(PREFIX_BYTES + length);
    }
    return messages;
  }

  /** Bytes of an unfinished frame (a stream that ends with some left was cut short). */
  get pendingBytes(): number {
    return this.buffered.length;
  }
}
