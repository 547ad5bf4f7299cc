/**
 * The embedded broker on a unix socket (real aedes, real agent, mqtt.js over the socket): the
 * socket file is 0660, the same logins and ACLs hold there, and a socket left by an earlier
 * run is replaced while any other file in its place is not.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import mqtt from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "../devicetwin/testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "../devicetwin/testdata/agent.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function agentOnSocket(socket: string): Promise<TestAgent> {
  const t = await startTestAgent({
    configure: c => {
      c.modules.eventBus.mqttUnixSocket = socket;
    },
  });
  cleanups.push(() => t.stop());
  return t;
}

function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "mqtt-unix-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "mqtt.sock");
}

/** mqtt.js over a unix socket, with the login of `tcpUrl`. */
function unixUrl(socket: string, tcpUrl: string): string {
  const auth = new URL(tcpUrl);
  return `mqtt+unix://${auth.username}:${auth.password}@${socket}`;
}

describe("the embedded broker's unix socket", () => {
  it("serves a mapper with its login on a 0660 socket; no login, no connection", async () => {
    const socket = socketPath();
    const t = await agentOnSocket(socket);
    t.setProfile(sampleProfile("30"), "1");
    await eventually("profile applied", async () => t.twin.state!.size === 1);
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o660);

    const mapper = await mqtt.connectAsync(unixUrl(socket, t.url), { reconnectPeriod: 0 });
    await mapper.subscribeAsync(deviceTopic("thermo", DeviceTopicSuffix.TwinGetResult));
    const answered = new Promise<string>(resolve =>
      mapper.once("message", (_topic, payload) => resolve(payload.toString())),
    );
    mapper.publish(deviceTopic("thermo", DeviceTopicSuffix.TwinGet), '{"event_id":"u1"}');
    expect(JSON.parse(await answered)).toMatchObject({ event_id: "u1" });
    await mapper.endAsync();

    await expect(
      mqtt.connectAsync(`mqtt+unix://${socket}`, { reconnectPeriod: 0 }),
    ).rejects.toThrow(/Not authorized/i);
  });

  it("replaces a socket left by a killed process, never another file", async () => {
    const socket = socketPath();
    // A process killed while listening leaves its socket file behind.
    const killed = spawnSync(process.execPath, [
      "-e",
      "require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))",
      socket,
    ]);
    expect(killed.signal).toBe("SIGKILL");
    expect(statSync(socket).isSocket()).toBe(true);
    const t = await agentOnSocket(socket);
    const mapper = await mqtt.connectAsync(unixUrl(socket, t.url), { reconnectPeriod: 0 });
    await mapper.endAsync();
    await t.stop();

    writeFileSync(socket, "not a socket");
    const refused = await agentOnSocket(socket).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    const causes: string[] = [];
    for (let e: unknown = refused; e instanceof Error; e = e.cause) causes.push(e.message);
    expect(causes.join(" / ")).toMatch(/is not a socket; not replacing it/);
    expect(statSync(socket).isFile()).toBe(true);
  });
});
