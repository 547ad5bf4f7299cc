/**
 * A size limit on MQTT packets before the broker buffers them. aedes' parser (mqtt-packet)
 * collects a packet whole, whatever length its header announces, so one client could make the
 * agent hold hundreds of megabytes. The guard reads each packet's fixed header as the bytes go
 * by (type byte, then the remaining length: 1–4 bytes of 7 bits each) and cuts the connection
 * as soon as a header announces more than the limit, before the body arrives.
 */
import { Duplex } from "node:stream";
import type { Socket } from "node:net";

/** Tracks packet boundaries in a byte stream; says when a packet is too large or malformed. */
export class PacketScanner {
  /** 0: at a packet's type byte; 1: in its length; 2: in its body. */
  private stage = 0;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /** Undefined while the stream is acceptable, else the reason to cut it. */
  scan(chunk: Buffer): string | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.stage === 2) {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.stage = 0;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.stage === 0) {
        this.stage = 1;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (this.length > this.maxPacketBytes) {
        return `packet of ${this.length}+ bytes exceeds ${this.maxPacketBytes}`;
      }
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return "malformed remaining length";
        continue;
      }
      this.bodyLeft = this.length;
      this.stage = this.bodyLeft === 0 ? 0 : 2;
    }
    return undefined;
  }
}

/**
 * The socket as aedes sees it: bytes pass unchanged, a packet over the limit destroys the
 * connection (after `onRefused` is told why).
 */
export class GuardedSocket extends Duplex {
  private readonly scanner: PacketScanner;

  constructor(
    private readonly socket: Socket,
    maxPacketBytes: number,
    onRefused: (reason: string) => void,
  ) {
    super();
    this.scanner = new PacketScanner(maxPacketBytes);
    socket.on("data", (chunk: Buffer) => {
      const refused = this.scanner.scan(chunk);
      if (refused) {
        onRefused(refused);
        this.destroy(new Error(refused));
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("error", error => this.destroy(error));
    socket.on("close", () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.socket.write(chunk, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.socket.end(done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.socket.destroy();
    done(error);
  }
}
