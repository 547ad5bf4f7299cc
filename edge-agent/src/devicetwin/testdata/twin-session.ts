/**
 * A real agent holding the sample profile and one MQTT client on the device's result topics:
 * the setup of tests that play a local process talking to the agent's twin topics.
 */
import { DeviceTopicSuffix, deviceTopic } from "@kubeedge-ts/contract";
import { MqttRecorder, eventually } from "@kubeedge-ts/testkit";
import { sampleProfile } from "./fixtures.js";
import { startTestAgent, type TestAgent } from "./agent.js";

export const SESSION_DEVICE = sampleProfile().deviceInstances[0]!.id;

export interface TwinSession {
  agent: TestAgent;
  client: MqttRecorder;
  /** Publishes `payload` (its own `event_id` included) and resolves with the agent's answer. */
  ask(topic: DeviceTopicSuffix, payload: { event_id: string }): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startTwinSession(
  desired: string,
  resourceVersion: string,
): Promise<TwinSession> {
  const agent = await startTestAgent();
  agent.setProfile(sampleProfile(desired), resourceVersion);
  await eventually("profile applied", () => agent.twin.state!.size === 1);
  const client = await MqttRecorder.start(agent.url, [
    deviceTopic(SESSION_DEVICE, DeviceTopicSuffix.TwinUpdateResult),
    deviceTopic(SESSION_DEVICE, DeviceTopicSuffix.TwinGetResult),
  ]);
  return {
    agent,
    client,
    async ask(topic, payload) {
      await client.publish(deviceTopic(SESSION_DEVICE, topic), payload);
      const got = await eventually(`${payload.event_id} answered`, () =>
        client.messages.find(m => m.payload.event_id === payload.event_id),
      );
      return got.payload as Record<string, unknown>;
    },
    async stop() {
      await client.close();
      await agent.stop();
    },
  };
}
