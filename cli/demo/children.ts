/**
 * The demo's child processes (edge agent, mapper), each started through its bin as a user would
 * and logging to its own file, and the watch that turns any of them exiting into a failure at
 * once, with the tail of its log.
 */
import { closeSync, openSync, readFileSync } from "node:fs";
import {
  binPath,
  startChild,
  type Child,
  type ChildExit,
  type WorkspaceBin,
} from "@kubeedge-ts/testkit";

export interface DemoChild extends Child {
  name: string;
  logFile: string;
}

/** Starts `bin args`; stop() is SIGTERM, then SIGKILL, and children die with the demo. */
export function startBinChild(
  name: string,
  bin: WorkspaceBin,
  args: string[],
  logFile: string,
  env: Record<string, string> = {},
): DemoChild {
  const fd = openSync(logFile, "a");
  try {
    const child = startChild(binPath(bin), args, {
      stdio: ["ignore", fd, fd],
      env: { ...process.env, ...env },
    });
    return { ...child, name, logFile };
  } finally {
    closeSync(fd);
  }
}

/** The last `lines` lines of a log file ("" when it cannot be read). */
export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

export interface Watched {
  name: string;
  exited: Promise<ChildExit | number | null>;
  logFile?: string;
}

function describeExit(how: ChildExit | number | null): string {
  if (how === null) return "exited";
  if (typeof how === "number") return `exited with code ${how}`;
  return how.signal ? `was killed by ${how.signal}` : `exited with code ${how.code}`;
}

/**
 * Children the demo needs running. `failed` rejects as soon as one of them exits while armed;
 * disarm() before stopping them on purpose.
 */
export class ChildWatch {
  readonly failed: Promise<never>;
  private fail!: (err: Error) => void;
  private armed = true;

  constructor() {
    this.failed = new Promise<never>((_, reject) => (this.fail = reject));
    this.failed.catch(() => undefined); // observed by whoever races it
  }

  watch(child: Watched): void {
    void child.exited.then(how => {
      if (!this.armed) return;
      const tail = child.logFile ? logTail(child.logFile) : "";
      const where = child.logFile ? `; last lines of ${child.logFile}:\n${tail}` : "";
      this.fail(new Error(`${child.name} ${describeExit(how)}${where}`));
    });
  }

  disarm(): void {
    this.armed = false;
  }
}
