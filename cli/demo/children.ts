/** The demo's Node child processes (edge agent, mapper), each logging to its own file. */
import { closeSync, openSync } from "node:fs";
import { type Child, startChild } from "@kubeedge-ts/testkit";

export interface DemoChild extends Child {
  logFile: string;
}

/** Starts `node <args>`; stop() is SIGTERM, then SIGKILL, and children die with the demo. */
export function startNodeChild(args: string[], logFile: string): DemoChild {
  const fd = openSync(logFile, "a");
  try {
    return { ...startChild(process.execPath, args, { stdio: ["ignore", fd, fd] }), logFile };
  } finally {
    closeSync(fd);
  }
}
