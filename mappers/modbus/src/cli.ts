#!/usr/bin/env node
/**
 * kubeedge-mapper-modbus --profile <deviceProfile.json> --mqtt <url> [--config <yaml>]
 * Every setting can also come from the environment (see settings.ts / README) or the YAML file.
 */
import { Command } from "commander";
import {
  CONFIG_ENV,
  createLogger,
  readConfigFile,
  pollingDriver,
  resolveSettings,
  runMapper,
  settingsTable,
  stopOnSignals,
} from "@kubeedge-ts/mapper-common";
import { createModbusProtocol } from "./driver.js";
import { modbusSettingSpecs, type ModbusMapperSettings } from "./settings.js";

interface Flags {
  profile?: string;
  mqtt?: string;
  config?: string;
}

async function loadSettings(flags: Flags): Promise<ModbusMapperSettings> {
  const configPath = flags.config ?? process.env[CONFIG_ENV];
  const file = configPath ? await readConfigFile(configPath) : {};
  const resolved = resolveSettings(modbusSettingSpecs, {
    cli: { ...flags, config: undefined },
    env: process.env,
    file,
  });
  if (!resolved.ok) throw new Error(resolved.reason);
  return resolved.value as unknown as ModbusMapperSettings;
}

async function main(flags: Flags): Promise<void> {
  const settings = await loadSettings(flags);
  const log = createLogger("kubeedge-mapper-modbus", settings.logLevel);
  const driver = pollingDriver(createModbusProtocol({ ...settings, log }));
  const mapper = await runMapper({
    driver,
    log,
    profilePath: settings.profile,
    mqttUrl: settings.mqtt,
    mqttUsername: settings.mqttUsername,
    mqttPassword: settings.mqttPassword,
    mqttClientId: settings.mqttClientId,
    httpHost: settings.httpHost,
    httpPort: settings.httpPort,
  });
  stopOnSignals(log, () => mapper.stop());
}

const program = new Command("kubeedge-mapper-modbus")
  .description("KubeEdge-compatible Modbus TCP/RTU mapper")
  .option("--profile <deviceProfile.json>", "device profile (env MAPPER_PROFILE)")
  .option("--mqtt <url>", "MQTT broker URL (env MAPPER_MQTT_URL)")
  .option("--config <yaml>", `YAML settings file (env ${CONFIG_ENV})`)
  .addHelpText(
    "after",
    `\nSettings (flag > env > YAML > default):\n${settingsTable(modbusSettingSpecs)}\n`,
  )
  .action(async (flags: Flags) => {
    try {
      await main(flags);
    } catch (err) {
      const cause = (err as Error).cause ? ` (${String((err as Error).cause)})` : "";
      process.stderr.write(`kubeedge-mapper-modbus: ${(err as Error).message}${cause}\n`);
      process.exit(2);
    }
  });

await program.parseAsync(process.argv);
