import type { AgentConfig } from "./types.js";

/** A config problem: the dotted field path and why it is wrong. */
export interface ConfigIssue {
  field: string;
  reason: string;
}

export class ConfigError extends Error {
  constructor(
    readonly issues: ConfigIssue[],
    source: string,
  ) {
    super(
      `invalid config (${source}):\n` + issues.map(i => `  ${i.field}: ${i.reason}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

type Check = (value: unknown, config: AgentConfig) => string | undefined;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MQTT_URL = /^(tcp|mqtt|ssl|mqtts|tls|ws|wss):\/\/[^/:]+:\d{1,5}$/;

const positive: Check = v => (Number(v) > 0 ? undefined : "must be greater than 0");
const percent: Check = v =>
  Number.isInteger(v) && Number(v) >= 0 && Number(v) <= 100 ? undefined : "must be 0..100";
const port: Check = v =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535
    ? undefined
    : "must be a port number 0-65535";
const oneOf =
  (...allowed: unknown[]): Check =>
  v =>
    allowed.includes(v) ? undefined : `must be one of ${allowed.join(", ")}, got ${String(v)}`;
const mqttUrl: Check = v =>
  MQTT_URL.test(String(v)) ? undefined : `must look like tcp://host:port, got "${String(v)}"`;

/** Rules beyond the types (the types are checked against the defaults' shape). */
const RULES: Record<string, Check> = {
  nodeName: v =>
    v === ""
      ? "is required (set nodeName or pass --node-name)"
      : String(v).length <= 253 && DNS_SUBDOMAIN.test(String(v))
        ? undefined
        : `"${String(v)}" is not a valid node name (lowercase DNS subdomain)`,
  dataDir: v => (v === "" ? "must not be empty" : undefined),
  logLevel: oneOf("trace", "debug", "info", "warn", "error", "fatal", "silent"),
  "server.port": port,
  "database.outboxMaxRows": positive,
  "database.outboxMaxBytes": positive,
  "modules.edgeHub.kubeconfig": (v, c) =>
    c.modules.edgeHub.enable && v === ""
      ? "is required when EdgeHub is enabled (pass --kubeconfig)"
      : undefined,
  "modules.edgeHub.server": v =>
    v === "" || /^https?:\/\/.+/.test(String(v)) ? undefined : "must be an http(s) URL",
  "modules.edgeHub.heartbeat": positive,
  "modules.edgeHub.leaseDurationSeconds": (v, c) =>
    Number(v) > c.modules.edgeHub.heartbeat ? undefined : "must be longer than heartbeat",
  "modules.edgeHub.reconnectInitialMs": positive,
  "modules.edgeHub.reconnectMaxMs": (v, c) =>
    Number(v) >= c.modules.edgeHub.reconnectInitialMs
      ? undefined
      : "must be at least reconnectInitialMs",
  "modules.edgeHub.requestTimeoutMs": positive,
  "modules.edgeHub.certificateValiditySeconds": v =>
    Number(v) === 0 || Number(v) >= 600 ? undefined : "must be 0 or at least 600 (seconds)",
  "modules.edged.nodeStatusUpdateFrequency": positive,
  "modules.edged.maxPods": positive,
  "modules.edged.port": v =>
    Number.isInteger(v) && Number(v) >= 0 && Number(v) <= 65535 ? undefined : "must be a port",
  "modules.edged.remoteRuntimeEndpoint": v =>
    v === "" || /^unix:\/\/\//.test(String(v)) ? undefined : "must be unix:///path or empty",
  "modules.edged.cpu": v =>
    v === "" || /^\d+(\.\d+)?m?$/.test(String(v))
      ? undefined
      : "must be a cpu quantity like 2 or 500m",
  "modules.edged.memory": v =>
    v === "" || /^\d+(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(String(v))
      ? undefined
      : "must be a memory quantity like 512Mi",
  "modules.edged.imageGCHighThresholdPercent": percent,
  "modules.edged.imageGCLowThresholdPercent": (v, c) =>
    percent(v, c) ??
    (Number(v) <= c.modules.edged.imageGCHighThresholdPercent
      ? undefined
      : "must not exceed imageGCHighThresholdPercent"),
  "modules.metaManager.podStatusSyncInterval": positive,
  "modules.eventBus.mqttMode": oneOf("internal", "external", "both"),
  "modules.eventBus.mqttServerInternal": mqttUrl,
  "modules.eventBus.mqttServerExternal": mqttUrl,
  "modules.eventBus.mqttQOS": oneOf(0, 1, 2),
  "modules.eventBus.mqttSessionQueueSize": positive,
  "modules.eventBus.applications": v => checkApplications(v),
  "modules.eventBus.maxPayloadBytes": positive,
  "modules.eventBus.maxPacketBytes": (v, c) =>
    Number(v) >= c.modules.eventBus.maxPayloadBytes
      ? undefined
      : "must be at least maxPayloadBytes",
  "modules.eventBus.maxTopicLength": positive,
  "modules.eventBus.maxPublishesPerSecond": v =>
    Number.isInteger(v) && Number(v) >= 0 ? undefined : "must be a whole number >= 0",
  "modules.eventBus.maxPublishBytesPerSecond": (v, c) =>
    v === 0 || (Number.isInteger(v) && Number(v) >= c.modules.eventBus.maxPayloadBytes)
      ? undefined
      : "must be 0 or at least maxPayloadBytes (a largest message must fit)",
  "modules.deviceTwin.maxTwinsPerDevice": positive,
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const APPLICATION_FIELDS = new Set(["name", "namespace", "writes"]);

/** `[{name, namespace?, writes: [device ids]}]`, names unique DNS labels. */
function checkApplications(v: unknown): string | undefined {
  if (!Array.isArray(v)) return "must be a list";
  const seen = new Set<string>();
  for (const [i, app] of v.entries()) {
    const at = `[${i}]`;
    if (!isObject(app)) return `${at} must be a mapping`;
    const unknown = Object.keys(app).find(k => !APPLICATION_FIELDS.has(k));
    if (unknown) return `${at}.${unknown}: unknown field`;
    if (typeof app.name !== "string" || !DNS_LABEL.test(app.name))
      return `${at}.name must be a DNS label`;
    if (seen.has(app.name)) return `${at}.name ${app.name} appears twice`;
    seen.add(app.name);
    if (app.namespace !== undefined && typeof app.namespace !== "string")
      return `${at}.namespace must be a string`;
    const writes = app.writes ?? [];
    if (!Array.isArray(writes) || writes.some(w => typeof w !== "string" || w === ""))
      return `${at}.writes must be a list of device ids`;
  }
  return undefined;
}

/** Fields whose value is a free-form string map (not checked against the defaults' keys). */
const MAPS = new Set(["modules.edged.labels"]);

/**
 * Checks `raw` (parsed YAML) against the shape of `defaults`: unknown fields, wrong types.
 * Returns the issues; an empty list means the shape is right.
 */
export function checkShape(raw: unknown, defaults: unknown, path = ""): ConfigIssue[] {
  if (!isObject(raw)) {
    return [{ field: path || "(root)", reason: `must be a mapping, got ${typeName(raw)}` }];
  }
  const issues: ConfigIssue[] = [];
  const shape = defaults as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const field = path ? `${path}.${key}` : key;
    if (!(key in shape)) {
      issues.push({ field, reason: "unknown field" });
      continue;
    }
    const want = shape[key];
    if (MAPS.has(field)) {
      if (!isObject(value) || Object.values(value).some(x => typeof x !== "string")) {
        issues.push({ field, reason: "must be a mapping of strings" });
      }
    } else if (isObject(want)) {
      issues.push(...checkShape(value, want, field));
    } else if (typeof value !== typeof want) {
      issues.push({ field, reason: `must be a ${typeof want}, got ${typeName(value)}` });
    }
  }
  return issues;
}

/** Value rules on a complete (defaults + file + flags) config. */
export function checkRules(config: AgentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [field, check] of Object.entries(RULES)) {
    const reason = check(getPath(config, field), config);
    if (reason) issues.push({ field, reason });
  }
  return issues;
}

export function getPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), obj);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return `${typeof v} ${JSON.stringify(v)}`;
}
