/**
 * Entry point of the water utility's edge application image: settings from the environment,
 * JSON logs on stdout.
 */
import { pino } from "pino";
import { startWaterApp } from "./app.js";
import { settingsFromEnv } from "./settings.js";

const log = pino({ base: { app: "water-utility" } });
const app = startWaterApp(settingsFromEnv(), log);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "stopping");
    void app.stop().then(() => process.exit(0));
  });
}
