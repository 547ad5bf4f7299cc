/**
 * Reserved Secret names that hand the embedded broker's logins to pods: resolved by edged on
 * the node from `<dataDir>/mqtt-credentials.json`, never fetched from the cloud (so they work
 * offline and the passwords never leave the node). A cloud Secret of the same name is ignored.
 *
 * - `kubeedge-mqtt-mapper`: the node's mapper login, for any pod on the node.
 * - `kubeedge-mqtt-app-<name>`: an application's login, for pods in the application's
 *   `namespace` (any namespace when it declares none).
 *
 * Keys: `username`, `password`, `url` (the embedded broker as a hostNetwork pod reaches it).
 */
import { createHash } from "node:crypto";
import type { AgentConfig } from "../../config/types.js";
import { loadOrCreateMqttCredentials, type UserPassword } from "../../eventbus/credentials.js";
import type { ObjectData } from "./objects.js";

export const MQTT_MAPPER_SECRET = "kubeedge-mqtt-mapper";
export const MQTT_APP_SECRET_PREFIX = "kubeedge-mqtt-app-";

export function isReservedMqttSecret(name: string): boolean {
  return name === MQTT_MAPPER_SECRET || name.startsWith(MQTT_APP_SECRET_PREFIX);
}

function secretOf(login: UserPassword, url: string): ObjectData {
  const data = {
    username: Buffer.from(login.username),
    password: Buffer.from(login.password),
    url: Buffer.from(url),
  };
  const version = createHash("sha256").update(`${login.username}:${login.password}:${url}`);
  return { data, resourceVersion: `local-${version.digest("hex").slice(0, 16)}` };
}

/**
 * The resolver of the reserved names: undefined for a reserved name this pod may not have
 * (unknown application, another namespace, no embedded broker) — the pod waits, as for a
 * missing Secret.
 */
export function mqttSecretResolver(
  config: AgentConfig,
): (namespace: string, name: string) => ObjectData | undefined {
  const eventBus = config.modules.eventBus;
  const apps = eventBus.applications;
  let creds: ReturnType<typeof loadOrCreateMqttCredentials> | undefined;
  const credentials = () =>
    (creds ??= loadOrCreateMqttCredentials(
      config.dataDir,
      apps.map(a => a.name),
    ));
  return (namespace, name) => {
    if (!eventBus.enable || eventBus.mqttMode === "external") return undefined;
    const url = eventBus.mqttServerInternal;
    if (name === MQTT_MAPPER_SECRET) return secretOf(credentials().mapper, url);
    const app = apps.find(a => MQTT_APP_SECRET_PREFIX + a.name === name);
    if (!app || (app.namespace && app.namespace !== namespace)) return undefined;
    const login = credentials().applications[app.name];
    return login && secretOf(login, url);
  };
}
