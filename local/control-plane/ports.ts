/** Port helpers: every component binds 127.0.0.1 only. */
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly flag: string,
  ) {
    super(
      `port ${port} on 127.0.0.1 is already in use. Stop whatever listens there ` +
        `(ss -ltnp 'sport = :${port}'), or pass ${flag} <another port>, or omit ${flag} ` +
        `to let kubeedge-ts pick free ports.`,
    );
    this.name = "PortInUseError";
  }
}
