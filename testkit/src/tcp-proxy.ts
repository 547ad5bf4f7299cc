/**
 * A TCP proxy the test controls, between a client under test and a peer. Instead of stopping a
 * peer and starting it again on the same port (which another process may take meanwhile), a
 * test cuts or hangs the proxy's connections and restores them; the peer keeps running.
 */
import { connect, createServer, type Socket } from "node:net";

export type TcpProxyMode = "open" | "cut" | "hung";

export interface TcpProxy {
  /** Where clients connect (127.0.0.1, chosen by the OS). */
  port: number;
  readonly mode: TcpProxyMode;
  /** Open connections (client side). */
  readonly connections: number;
  /** Bytes held while hung, both directions. */
  readonly heldBytes: number;
  /** Resets every connection, and each new one at once, until restore(): a peer that is gone. */
  cut(): void;
  /** Keeps connections open but holds every byte either way until restore(): a hung peer. */
  hang(): void;
  /** Forwards again; bytes held while hung are delivered, as a peer resuming would. */
  restore(): void;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket;
  /** Bytes held while hung, per direction. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const links = new Set<Link>();
  let mode: TcpProxyMode = "open";

  const drop = (link: Link, reset: boolean): void => {
    links.delete(link);
    if (reset) link.client.resetAndDestroy();
    else link.client.destroy();
    link.upstream.destroy();
  };
  const flush = (link: Link): void => {
    for (const b of link.toUpstream.splice(0)) link.upstream.write(b);
    for (const b of link.toClient.splice(0)) link.client.write(b);
  };

  const server = createServer(client => {
    if (mode === "cut") {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host ?? "127.0.0.1");
    const link: Link = { client, upstream, toUpstream: [], toClient: [] };
    links.add(link);
    client.on("data", b => (mode === "open" ? upstream.write(b) : link.toUpstream.push(b)));
    upstream.on("data", b => (mode === "open" ? client.write(b) : link.toClient.push(b)));
    for (const s of [client, upstream]) {
      s.on("error", () => drop(link, false));
      s.on("close", () => drop(link, false));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    port,
    get mode() {
      return mode;
    },
    get connections() {
      return links.size;
    },
    get heldBytes() {
      let n = 0;
      for (const l of links) for (const b of [...l.toUpstream, ...l.toClient]) n += b.length;
      return n;
    },
    cut() {
      mode = "cut";
      for (const link of [...links]) drop(link, true);
    },
    hang() {
      if (mode === "open") mode = "hung";
    },
    restore() {
      mode = "open";
      links.forEach(flush);
    },
    async close() {
      for (const link of [...links]) drop(link, false);
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
