/**
 * Real Modbus peers for tests: Debian's pymodbus server (TCP or RTU) driven through its
 * stdin control protocol, and a socat pty pair standing in for a serial cable.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";
import { startChild, type Child } from "./child.js";
import { eventually } from "./eventually.js";

export const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../python/modbus_server.py", import.meta.url));

export type Table = "co" | "di" | "ir" | "hr";

export interface PymodbusServer {
  /** TCP port, when serving TCP. */
  port?: number;
  get(slave: number, table: Table, address: number, count: number): Promise<number[]>;
  set(slave: number, table: Table, address: number, values: number[]): Promise<void>;
  output(): string;
  /** SIGSTOP: the server keeps its sockets but stops answering (a hung device). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

function controlChannel(child: Child): (line: string) => Promise<Record<string, unknown>> {
  const pending: ((reply: Record<string, unknown>) => void)[] = [];
  let buf = "";
  child.proc.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line.startsWith("{")) pending.shift()?.(JSON.parse(line) as Record<string, unknown>);
    }
  });
  const failAll = (): void => {
    pending.splice(0).forEach(r => r({ ok: false, error: "pymodbus is not running" }));
  };
  child.proc.once("exit", failAll);
  // Replies come back in order, one line per command.
  return line =>
    new Promise(resolve => {
      if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
        resolve({ ok: false, error: "pymodbus is not running" });
        return;
      }
      pending.push(resolve);
      child.proc.stdin!.write(`${line}\n`);
    });
}

export interface PymodbusOptions {
  tcpPort?: number;
  rtuPath?: string;
  slaves?: number[];
  /** Unknown unit ids get no answer at all (a dead slave) instead of exception 11. */
  ignoreMissingSlaves?: boolean;
}

export async function startPymodbus(opts: PymodbusOptions): Promise<PymodbusServer> {
  const port = opts.rtuPath ? undefined : (opts.tcpPort ?? (await freePort()));
  const where = opts.rtuPath ? ["--rtu", opts.rtuPath] : ["--tcp", `127.0.0.1:${port}`];
  const slaves = (opts.slaves ?? [1]).join(",");
  const extra = opts.ignoreMissingSlaves ? ["--ignore-missing-slaves"] : [];
  const child = startChild(PYTHON, [SCRIPT, ...where, "--slaves", slaves, ...extra], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const send = controlChannel(child);
  try {
    await eventually(
      "pymodbus READY",
      () => child.output().includes("READY") || child.proc.exitCode !== null,
      15_000,
    );
  } catch (err) {
    await child.stop();
    throw err;
  }
  if (child.proc.exitCode !== null) throw new Error(`pymodbus exited: ${child.output()}`);
  const check = (reply: Record<string, unknown>): Record<string, unknown> => {
    if (reply.ok !== true) throw new Error(`pymodbus control: ${String(reply.error)}`);
    return reply;
  };
  return {
    port,
    get: async (slave, table, address, count) =>
      check(await send(`get ${slave} ${table} ${address} ${count}`)).values as number[],
    set: async (slave, table, address, values) =>
      void check(await send(`set ${slave} ${table} ${address} ${values.join(",")}`)),
    output: () => child.output(),
    pause: () => void child.proc.kill("SIGSTOP"),
    resume: () => void child.proc.kill("SIGCONT"),
    stop: async () => {
      child.proc.kill("SIGCONT"); // a stopped process would not see SIGTERM until continued
      await child.stop();
    },
  };
}

export interface PtyPair {
  /** The mapper's end. */
  a: string;
  /** The device's end. */
  b: string;
  stop(): Promise<void>;
}

/** `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`: a virtual null-modem cable. */
export async function startPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), "modbus-pty-"));
  const a = join(dir, "mapper");
  const b = join(dir, "device");
  const child = startChild("socat", [
    "-d",
    "-d",
    `pty,raw,echo=0,link=${a}`,
    `pty,raw,echo=0,link=${b}`,
  ]);
  await eventually(
    "socat ptys",
    () => (existsSync(a) && existsSync(b)) || child.proc.exitCode !== null,
    5000,
  );
  if (child.proc.exitCode !== null) throw new Error(`socat exited: ${child.output()}`);
  return { a, b, stop: () => child.stop() };
}

/** Registers of a float32 / int16 in big-endian word order, as pymodbus stores them. */
export function float32Words(v: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(v);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
}
