/** A port the user asked for is taken (every component binds 127.0.0.1 only). */
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
