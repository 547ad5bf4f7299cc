/**
 * Login on the embedded broker: user name and password → the identity whose ACL applies.
 * Anonymous clients get the mapper identity only when the config allows them.
 */
import { timingSafeEqual } from "node:crypto";
import { ANONYMOUS_IDENTITY, MAPPER_IDENTITY, type Identity } from "./acl.js";
import type { MqttCredentials, UserPassword } from "./credentials.js";

export interface ApplicationGrant {
  name: string;
  /** Device ids (wire id or `namespace/name`) whose desired values it may set. */
  writes: readonly string[];
}

export interface BrokerAuthOptions {
  allowAnonymous: boolean;
  credentials: MqttCredentials;
  applications: readonly ApplicationGrant[];
  /** `modules.eventBus.mqttUsername`/`mqttPassword`, accepted as a mapper login as before. */
  legacy?: UserPassword;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function matches(up: UserPassword | undefined, user: string, password: string): boolean {
  return !!up && up.username === user && same(up.password, password);
}

/** The login check aedes' `authenticate` calls: an identity, or undefined to refuse. */
export function authenticator(
  opts: BrokerAuthOptions,
): (username: string | undefined, password: Buffer | undefined) => Identity | undefined {
  const apps = opts.applications.map(a => ({
    up: opts.credentials.applications[a.name],
    identity: { role: "application", name: a.name, writes: new Set(a.writes) } as Identity,
  }));
  return (username, password) => {
    if (!username) return opts.allowAnonymous && !password ? ANONYMOUS_IDENTITY : undefined;
    const pw = password?.toString() ?? "";
    if (matches(opts.credentials.mapper, username, pw)) return MAPPER_IDENTITY;
    if (opts.legacy?.username && matches(opts.legacy, username, pw)) return MAPPER_IDENTITY;
    return apps.find(a => matches(a.up, username, pw))?.identity;
  };
}
