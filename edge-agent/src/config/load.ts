import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { defaultConfig } from "./defaults.js";
import { CONFIG_API_VERSION, CONFIG_KIND, type AgentConfig, type MqttMode } from "./types.js";
import { checkRules, checkShape, ConfigError, isObject, type ConfigIssue } from "./validate.js";

/** Command-line flags that override the file (kubelet-style: the common case needs no file). */
export interface ConfigFlags {
  kubeconfig?: string;
  nodeName?: string;
  dataDir?: string;
  mqttInternalServer?: string;
  mqttMode?: string;
  mqttAllowAnonymous?: boolean;
  healthzPort?: number;
  healthzBindAddress?: string;
  logLevel?: string;
  remoteRuntimeEndpoint?: string;
  secretsKeyFile?: string;
}

/**
 * defaults ← file ← flags, then validation. Throws ConfigError naming every bad field, so an
 * invalid config stops the agent at start instead of half-working.
 */
export function loadConfig(file: string | undefined, flags: ConfigFlags = {}): AgentConfig {
  const source = file ?? "flags";
  let raw: unknown = {};
  if (file !== undefined) raw = readYaml(file);
  const issues: ConfigIssue[] = [];
  const defaults = defaultConfig();
  if (raw === null || raw === undefined) raw = {};
  issues.push(...checkShape(raw, defaults));
  if (isObject(raw)) issues.push(...checkHeader(raw));
  if (issues.length > 0) throw new ConfigError(issues, source);
  const config = deepMerge(
    defaults as unknown as Record<string, unknown>,
    raw as Record<string, unknown>,
  ) as AgentConfig;
  applyFlags(config, flags);
  resolvePaths(config, file);
  const ruleIssues = checkRules(config);
  if (ruleIssues.length > 0) throw new ConfigError(ruleIssues, source);
  return config;
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read config file ${file}`, { cause: error });
  }
  try {
    return parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ field: "(yaml)", reason }], file);
  }
}

function checkHeader(raw: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (raw.apiVersion !== undefined && raw.apiVersion !== CONFIG_API_VERSION) {
    issues.push({ field: "apiVersion", reason: `must be ${CONFIG_API_VERSION}` });
  }
  if (raw.kind !== undefined && raw.kind !== CONFIG_KIND) {
    issues.push({ field: "kind", reason: `must be ${CONFIG_KIND}` });
  }
  return issues;
}

function applyFlags(config: AgentConfig, flags: ConfigFlags): void {
  const { edgeHub, eventBus } = config.modules;
  if (flags.kubeconfig !== undefined) edgeHub.kubeconfig = flags.kubeconfig;
  if (flags.nodeName !== undefined) config.nodeName = flags.nodeName;
  if (flags.dataDir !== undefined) config.dataDir = flags.dataDir;
  if (flags.mqttInternalServer !== undefined)
    eventBus.mqttServerInternal = flags.mqttInternalServer;
  if (flags.mqttMode !== undefined) eventBus.mqttMode = flags.mqttMode as MqttMode;
  if (flags.mqttAllowAnonymous) eventBus.allowAnonymous = true;
  if (flags.healthzPort !== undefined) config.server.port = flags.healthzPort;
  if (flags.healthzBindAddress !== undefined) config.server.address = flags.healthzBindAddress;
  if (flags.logLevel !== undefined) config.logLevel = flags.logLevel as AgentConfig["logLevel"];
  if (flags.secretsKeyFile !== undefined) config.database.secretsKeyFile = flags.secretsKeyFile;
  if (flags.remoteRuntimeEndpoint !== undefined)
    config.modules.edged.remoteRuntimeEndpoint = flags.remoteRuntimeEndpoint;
}

/** Relative paths in a file are relative to the file; from flags, to the working directory. */
function resolvePaths(config: AgentConfig, file: string | undefined): void {
  const base = file === undefined ? process.cwd() : resolve(file, "..");
  const abs = (p: string | undefined): string => (p ? resolve(base, p) : "");
  const hub = config.modules.edgeHub;
  if (config.dataDir !== "") config.dataDir = abs(config.dataDir);
  hub.kubeconfig = abs(hub.kubeconfig);
  hub.tlsCaFile = abs(hub.tlsCaFile);
  hub.tlsCertFile = abs(hub.tlsCertFile);
  hub.tlsPrivateKeyFile = abs(hub.tlsPrivateKeyFile);
  config.database.secretsKeyFile = abs(config.database.secretsKeyFile);
  config.modules.eventBus.mqttUnixSocket = abs(config.modules.eventBus.mqttUnixSocket);
  config.database.dataSource = config.database.dataSource
    ? abs(config.database.dataSource)
    : config.dataDir && join(config.dataDir, "edge.db");
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    out[k] = isObject(b) && isObject(v) && Object.keys(b).length > 0 ? deepMerge(b, v) : v;
  }
  return out;
}
