import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Cri } from "../cri/client.js";
import { runProbe } from "./run-probe.js";

const execFileP = promisify(execFile);
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    const status = Number(req.url?.slice(1)) || 200;
    res.writeHead(status, status === 302 ? { location: "/500" } : {}).end("x");
  });
  await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>(r => server.close(() => r())));

const target = { cri: {} as Cri, containerId: "c", podIP: "127.0.0.1", timeoutSeconds: 2 };
const probe = (path: string, p = port) => ({ httpGet: { path, port: p } });

describe("httpGet probes", () => {
  it.each([
    ["/200", "success"],
    ["/302", "success"],
    ["/404", "failure"],
    ["/500", "failure"],
  ])("%s is a %s (redirects are not followed)", async (path, expected) => {
    expect(await runProbe(probe(path), { name: "c", image: "i" }, target)).toBe(expected);
  });

  it("fails on a port nothing listens on", async () => {
    const closed = createServer();
    await new Promise<void>(r => closed.listen(0, "127.0.0.1", r));
    const gone = (closed.address() as AddressInfo).port;
    await new Promise<void>(r => closed.close(() => r()));
    expect(await runProbe(probe("/", gone), { name: "c", image: "i" }, target)).toBe("failure");
  });

  it("works where the agent's bin runs it, with WebAssembly turned off", async () => {
    const module = fileURLToPath(new URL("./run-probe.ts", import.meta.url));
    const script = `const { runProbe } = await import(${JSON.stringify(module)});
      const r = await runProbe({ httpGet: { path: "/200", port: ${port} } }, { name: "c", image: "i" },
        { cri: {}, containerId: "c", podIP: "127.0.0.1", timeoutSeconds: 2 });
      console.log(r);`;
    const { stdout } = await execFileP(process.execPath, [
      "--no-expose-wasm",
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      script,
    ]);
    expect(stdout.trim()).toBe("success");
  });
});
