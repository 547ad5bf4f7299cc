/**
 * The project's own mapper library (mapper-common's TwinClient) against the agent: desired
 * values from the profile reach it, its readings and state land in the Device status queue.
 */
import { createLogger, TwinClient } from "@kubeedge-ts/mapper-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@kubeedge-ts/testkit";
import type { DeviceStatusReport } from "../store/device-status.js";
import { OutboxKind } from "../store/outbox.js";
import { sampleProfile } from "./testdata/fixtures.js";
import { startTestAgent, type TestAgent } from "./testdata/agent.js";

describe("mapper-common's TwinClient against the agent", () => {
  let t: TestAgent;
  let client: TwinClient;
  const desired: Record<string, string>[] = [];

  beforeAll(async () => {
    t = await startTestAgent({ twin: { reporter: { defaultCycleMs: 20, minCycleMs: 10 } } });
    client = await TwinClient.connect({ url: t.url, log: createLogger("test", "silent") });
    client.onDesired((id, values) => {
      if (id === "thermo") desired.push(values);
    });
  });

  afterAll(async () => {
    await client?.close();
    await t?.stop();
  });

  it("hears desired values and reports readings and state", async () => {
    t.setProfile(sampleProfile("33"), "5");
    await eventually("delta at the mapper", () => desired.some(d => d.temperature === "33"));
    expect(
      await client.publishActual("thermo", { temperature: { value: "31", type: "int" } }),
    ).toBe(true);
    expect(await client.publishState("thermo", "online")).toBe(true);
    const report = await eventually("status report", () => {
      const r = t.agent.outbox
        .peek(100)
        .filter(e => e.kind === OutboxKind.DeviceStatus)
        .map(e => e.payload as DeviceStatusReport)
        .at(-1);
      return r?.status.state === "online" && (r.status.twins?.length ?? 0) > 0 ? r : undefined;
    });
    expect(report.status.twins?.[0]).toMatchObject({
      propertyName: "temperature",
      reported: { value: "31" },
    });
    await client.requestTwin("thermo");
    await eventually("twin get answered", () => desired.length >= 2);
  });
});
