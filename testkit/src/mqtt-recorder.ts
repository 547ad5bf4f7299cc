import mqtt, { type MqttClient } from "mqtt";

export interface Recorded {
  topic: string;
  payload: Record<string, unknown>;
  at: number;
}

/** A plain MQTT client that records every message on `topics`, standing in for the edge agent. */
export class MqttRecorder {
  readonly messages: Recorded[] = [];

  private constructor(readonly client: MqttClient) {
    client.on("message", (topic, payload) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(payload.toString()) as Record<string, unknown>;
      } catch {
        parsed = { raw: payload.toString() };
      }
      this.messages.push({ topic, payload: parsed, at: Date.now() });
    });
  }

  static async start(url: string, topics: string[]): Promise<MqttRecorder> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 200 });
    if (topics.length > 0) await client.subscribeAsync(topics, { qos: 1 });
    return new MqttRecorder(client);
  }

  on(topic: string): Recorded[] {
    return this.messages.filter(m => m.topic === topic);
  }

  last(topic: string): Recorded | undefined {
    return this.on(topic).at(-1);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
