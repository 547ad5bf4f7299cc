#!/usr/bin/env node
/**
 * kubeedge-mapper-bluetooth --profile <deviceProfile.json> --mqtt <url> [--config <yaml>]
 *
 * The YAML file holds the manual's action-manager / scheduler / watcher sections (and may carry
 * the common mapper settings); other settings come from the environment (MAPPER_*), and
 * NOBLE_WEBSOCKET=ws://host:port uses a noble websocket relay instead of the local adapter.
 */
import { Command } from "commander";
import {
  CONFIG_ENV,
  commonSettingSpecs,
  createLogger,
  resolveSettings,
  settingsTable,
  stopOnSignals,
  type CommonMapperSettings,
  type Logger,
} from "@kubeedge-ts/mapper-common";
import { loadNoble, nobleSourceFromEnv, waitPoweredOn } from "./ble/noble-loader.js";
import type { Noble } from "./ble/noble-types.js";
import { loadConfigFile, type ConfigFile } from "./config/config-file.js";
import { runBluetoothMapper } from "./mapper.js";

const NAME = "kubeedge-mapper-bluetooth";
const specs = commonSettingSpecs();

interface Flags {
  profile?: string;
  mqtt?: string;
  config?: string;
}

async function loadSettings(
  flags: Flags,
): Promise<{ settings: CommonMapperSettings; file?: ConfigFile }> {
  const configPath = flags.config ?? process.env[CONFIG_ENV];
  const file = configPath
    ? await loadConfigFile(
        configPath,
        specs.map(s => s.key),
      )
    : undefined;
  const fromFile = { ...(file?.mqttUrl ? { mqtt: file.mqttUrl } : {}), ...file?.settings };
  const resolved = resolveSettings(specs, {
    cli: { profile: flags.profile, mqtt: flags.mqtt },
    env: process.env,
    file: fromFile,
  });
  if (!resolved.ok) throw new Error(resolved.reason);
  return { settings: resolved.value as unknown as CommonMapperSettings, file };
}

async function openRadio(log: Logger): Promise<Noble> {
  const source = nobleSourceFromEnv();
  const noble = loadNoble({
    ...source,
    onRelayClosed: () => {
      // noble's websocket bindings never redial; a restart (by Kubernetes) starts clean.
      log.error({ relay: source.websocketUrl }, "noble websocket relay closed; exiting");
      process.exit(1);
    },
  });
  if (!(await waitPoweredOn(noble, 10_000))) {
    log.warn({ state: noble.state }, "Bluetooth adapter is not powered on yet; waiting for it");
  }
  return noble;
}

async function main(flags: Flags): Promise<void> {
  const { settings, file } = await loadSettings(flags);
  const log = createLogger(NAME, settings.logLevel);
  const noble = await openRadio(log);
  const mapper = await runBluetoothMapper({
    profilePath: settings.profile,
    mqttUrl: settings.mqtt,
    mqttUsername: settings.mqttUsername,
    mqttPassword: settings.mqttPassword,
    mqttClientId: settings.mqttClientId,
    httpHost: settings.httpHost,
    httpPort: settings.httpPort,
    config: file?.config,
    noble,
    log,
  });
  stopOnSignals(log, () => mapper.stop());
}

const program = new Command(NAME)
  .description("KubeEdge-compatible Bluetooth LE mapper (noble)")
  .option("--profile <json>", "device profile, deviceProfile.json (env MAPPER_PROFILE)")
  .option("--mqtt <url>", "MQTT broker URL (env MAPPER_MQTT_URL)")
  .option("--config <yaml>", `action-manager / scheduler / watcher YAML (env ${CONFIG_ENV})`)
  .addHelpText(
    "after",
    `\nSettings (flag > env > YAML > default):\n${settingsTable(specs)}\n` +
      `\nNOBLE_WEBSOCKET=ws://host:port talks to a noble websocket relay instead of the local adapter.\n`,
  )
  .action(async (flags: Flags) => {
    try {
      await main(flags);
    } catch (err) {
      const cause = (err as Error).cause ? ` (${String((err as Error).cause)})` : "";
      process.stderr.write(`${NAME}: ${(err as Error).message}${cause}\n`);
      process.exit(2);
    }
  });

await program.parseAsync(process.argv);
