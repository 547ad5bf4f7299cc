/**
 * `kubeedge-edge mqtt-credentials`: the embedded broker's login for a host process (the demo,
 * a test, an operator's script), as one JSON line `{username, password, url}`. Creates the
 * credentials file when the agent has not run yet, so the process may start first.
 */
import { loadConfig } from "../config/load.js";
import { defaultConfig } from "../config/defaults.js";
import type { AgentConfig } from "../config/types.js";
import { loadOrCreateMqttCredentials, type UserPassword } from "./credentials.js";

export interface CredentialsCommandOptions {
  config?: string;
  dataDir?: string;
  role: string;
  name?: string;
}

function eventBusConfig(opts: CredentialsCommandOptions): AgentConfig {
  if (opts.config === undefined) {
    const config = defaultConfig();
    config.dataDir = opts.dataDir ?? "";
    return config;
  }
  // The node name is not needed here; a file that leaves it to a flag still loads.
  return loadConfig(opts.config, { dataDir: opts.dataDir, nodeName: "credentials" });
}

export function mqttCredentialsLine(opts: CredentialsCommandOptions): string {
  const config = eventBusConfig(opts);
  if (config.dataDir === "") throw new Error("--data-dir (or dataDir in --config) is required");
  const apps = config.modules.eventBus.applications.map(a => a.name);
  let login: UserPassword;
  if (opts.role === "mapper") {
    login = loadOrCreateMqttCredentials(config.dataDir, apps).mapper;
  } else if (opts.role === "app") {
    if (!opts.name) throw new Error("--role app needs --name");
    const creds = loadOrCreateMqttCredentials(config.dataDir, [...apps, opts.name]);
    login = creds.applications[opts.name]!;
  } else {
    throw new Error(`--role must be mapper or app, got ${opts.role}`);
  }
  const url = config.modules.eventBus.mqttServerInternal;
  return JSON.stringify({ username: login.username, password: login.password, url }) + "\n";
}
