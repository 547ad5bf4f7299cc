import { pino, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

/** One root logger per mapper process; components take `log.child({ component })`. */
export function createLogger(name: string, level: LevelWithSilent | string = "info"): Logger {
  return pino({ name, level, base: { name } });
}
