/**
 * Credentials of the embedded broker's identities: one for the node's mappers and one per
 * edge application the config declares. Generated at first use and kept in
 * `<dataDir>/mqtt-credentials.json` (0600, written whole through a rename), so a restart keeps
 * every password that pods and host processes were handed.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const MQTT_CREDENTIALS_FILE = "mqtt-credentials.json";
export const MAPPER_USERNAME = "mapper";
const CREDENTIALS_MODE = 0o600;

export interface UserPassword {
  username: string;
  password: string;
}

export interface MqttCredentials {
  mapper: UserPassword;
  /** By application name. */
  applications: Record<string, UserPassword>;
}

export function appUsername(name: string): string {
  return `app-${name}`;
}

export function credentialsPath(dataDir: string): string {
  return join(dataDir, MQTT_CREDENTIALS_FILE);
}

function newPassword(): string {
  return randomBytes(32).toString("base64url");
}

function isUserPassword(v: unknown): v is UserPassword {
  const o = v as Partial<UserPassword> | null;
  return typeof o?.username === "string" && typeof o.password === "string" && o.password !== "";
}

function parse(text: string, file: string): MqttCredentials {
  const raw = JSON.parse(text) as Partial<MqttCredentials>;
  if (!isUserPassword(raw.mapper)) throw new Error(`${file}: no mapper credentials`);
  const applications: Record<string, UserPassword> = Object.create(null) as Record<
    string,
    UserPassword
  >;
  for (const [name, up] of Object.entries(raw.applications ?? {})) {
    if (isUserPassword(up)) applications[name] = up;
  }
  return { mapper: raw.mapper, applications };
}

/**
 * Reads the credentials file, adding what is missing (the file, or an application new to the
 * config) and writing it back. Synchronous: EventBus and edged call it at start, in one process.
 */
export function loadOrCreateMqttCredentials(
  dataDir: string,
  applications: readonly string[] = [],
): MqttCredentials {
  // No data directory (an in-memory agent in a test): credentials live as long as the process.
  const file = dataDir === "" ? undefined : credentialsPath(dataDir);
  let creds: MqttCredentials | undefined;
  let changed = false;
  if (file && existsSync(file)) creds = parse(readFileSync(file, "utf8"), file);
  if (!creds) {
    creds = { mapper: { username: MAPPER_USERNAME, password: newPassword() }, applications: {} };
    changed = true;
  }
  for (const name of applications) {
    if (Object.hasOwn(creds.applications, name)) continue;
    creds.applications[name] = { username: appUsername(name), password: newPassword() };
    changed = true;
  }
  if (!file) return creds;
  if (changed) {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(creds, null, 2) + "\n", { mode: CREDENTIALS_MODE });
    renameSync(tmp, file);
  }
  // An older or hand-made file may be looser: tighten it at every start, as the database.
  chmodSync(file, CREDENTIALS_MODE);
  return creds;
}
