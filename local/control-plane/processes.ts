/**
 * Detached child processes that outlive the command that started them (`cluster up` returns while
 * the control plane keeps running), tracked by PID files in the state folder. A PID is only ever
 * signalled if its command line still mentions the state folder, so a recycled PID is never hit.
 */
import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export interface CommandSpec {
  bin: string;
  args: string[];
  env?: Record<string, string>;
}

const pidDir = (dir: string): string => join(dir, "pids");
const pidFile = (dir: string, name: string): string => join(pidDir(dir), `${name}.pid`);

export function startDetached(dir: string, name: string, spec: CommandSpec): number {
  mkdirSync(pidDir(dir), { recursive: true });
  mkdirSync(join(dir, "logs"), { recursive: true });
  const log = openSync(join(dir, "logs", `${name}.log`), "a");
  const env: Record<string, string | undefined> = { ...process.env, ...spec.env };
  // Webhooks and the components themselves live on loopback; a proxy must never see them.
  for (const key of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) delete env[key];
  env.NO_PROXY = env.no_proxy = "127.0.0.1,localhost";
  const child = spawn(spec.bin, spec.args, { detached: true, stdio: ["ignore", log, log], env });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${spec.bin})`);
  child.unref();
  writeFileSync(pidFile(dir, name), String(child.pid));
  return child.pid;
}

/** True when `pid` is alive and is one of ours (its command line names the state folder). */
export function isOurs(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes(dir);
  } catch {
    return false;
  }
}

export function readPid(dir: string, name: string): number | undefined {
  const file = pidFile(dir, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function runningComponents(dir: string): Record<string, number> {
  if (!existsSync(pidDir(dir))) return {};
  const out: Record<string, number> = {};
  for (const f of readdirSync(pidDir(dir))) {
    const name = f.replace(/\.pid$/, "");
    const pid = readPid(dir, name);
    if (pid !== undefined && isOurs(pid, dir)) out[name] = pid;
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(dir: string, name: string, graceMs = 10_000): Promise<void> {
  const pid = readPid(dir, name);
  if (pid !== undefined && isOurs(pid, dir)) {
    signal(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isOurs(pid, dir) && Date.now() < deadline) await sleep(100);
    if (isOurs(pid, dir)) signal(pid, "SIGKILL");
    while (isOurs(pid, dir) && !isZombie(pid)) await sleep(50);
  }
  rmSync(pidFile(dir, name), { force: true });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function isZombie(pid: number): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/**
 * A detached shell that stops every component and removes the state folder once `ownerPid`
 * exits, so an interrupted or crashed test run leaves no process behind.
 */
export function startWatchdog(dir: string, ownerPid: number): number {
  const script = `
    while kill -0 ${ownerPid} 2>/dev/null; do sleep 1; done
    for f in "${pidDir(dir)}"/*.pid; do
      [ -f "$f" ] || continue; p=$(cat "$f")
      grep -qF "${dir}" /proc/$p/cmdline 2>/dev/null && kill -TERM $p 2>/dev/null
    done
    sleep 5
    for f in "${pidDir(dir)}"/*.pid; do
      [ -f "$f" ] || continue; p=$(cat "$f")
      grep -qF "${dir}" /proc/$p/cmdline 2>/dev/null && kill -KILL $p 2>/dev/null
    done
    rm -rf "${dir}"`;
  const child = spawn("bash", ["-c", script, `kubeedge-ts-watchdog ${dir}`], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  return child.pid ?? 0;
}
