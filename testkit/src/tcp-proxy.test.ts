/** The proxy against a real echo server on 127.0.0.1: forwards, cuts, hangs and restores. */
import { createServer, connect, type Server, type Socket } from "node:net";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
import { eventually } from "./eventually.js";

let echoed = "";

function startEcho(): Promise<Server> {
  echoed = "";
  const server = createServer(s => {
    s.on("data", b => (echoed += b.toString()));
    s.pipe(s);
  });
  return new Promise(resolve => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function dial(
  port: number,
): Promise<{ socket: Socket; received: () => string; error: () => string }> {
  return new Promise((resolve, reject) => {
    let data = "";
    let error = "";
    const socket = connect(port, "127.0.0.1", () =>
      resolve({ socket, received: () => data, error: () => error }),
    );
    socket.on("data", b => (data += b.toString()));
    socket.on("error", err => {
      error = (err as NodeJS.ErrnoException).code ?? err.message;
      reject(err);
    });
  });
}

describe("startTcpProxy", () => {
  let echo: Server;
  let proxy: TcpProxy;
  beforeEach(async () => {
    echo = await startEcho();
    const address = echo.address();
    proxy = await startTcpProxy({
      port: typeof address === "object" && address ? address.port : 0,
    });
  });
  afterEach(async () => {
    await proxy.close();
    await new Promise(r => echo.close(r));
  });

  it("forwards both ways", async () => {
    const c = await dial(proxy.port);
    c.socket.write("ping");
    await eventually("echo", () => c.received() === "ping");
    expect(proxy.connections).toBe(1);
    c.socket.destroy();
  });

  it("resets open connections and new ones while cut, and forwards again once restored", async () => {
    const c = await dial(proxy.port);
    const closed = new Promise(r => c.socket.once("close", r));
    proxy.cut();
    await closed;
    expect(c.error()).toBe("ECONNRESET");
    const refused = await dial(proxy.port).then(
      d => new Promise(r => d.socket.once("close", () => r(d.error()))),
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect(refused).toBe("ECONNRESET");
    proxy.restore();
    const again = await dial(proxy.port);
    again.socket.write("back");
    await eventually("echo after restore", () => again.received() === "back");
    again.socket.destroy();
  });

  it("holds bytes while hung and delivers them when restored", async () => {
    const c = await dial(proxy.port);
    proxy.hang();
    c.socket.write("held");
    await eventually("bytes held", () => proxy.heldBytes === 4);
    expect(echoed).toBe("");
    expect(c.received()).toBe("");
    expect(proxy.mode).toBe("hung");
    proxy.restore();
    await eventually("held bytes delivered", () => c.received() === "held");
    expect(echoed).toBe("held");
    c.socket.destroy();
  });
});
