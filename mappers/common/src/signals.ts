import type { Logger } from "./logger.js";

/** Stops the mapper on SIGTERM/SIGINT (a pod's shutdown) and exits 0, or 1 if stopping failed. */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  const shutdown = (signal: string): void => {
    log.info({ signal }, "stopping");
    stop().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err: err.message }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}
