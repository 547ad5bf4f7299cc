import { waitFor } from "@kubeedge-ts/testkit";
import { ReportThrottle } from "./report-throttle.js";

describe("ReportThrottle", () => {
  it("sends at once without a cycle", () => {
    const sent: string[] = [];
    const t = new ReportThrottle((_p, v) => sent.push(v));
    ["1", "2", "3"].forEach(v => t.offer("temperature", v, 0));
    expect(sent).toEqual(["1", "2", "3"]);
  });

  it("sends the first value at once and the newest one when the cycle ends", async () => {
    const sent: [string, string, number][] = [];
    const start = Date.now();
    const t = new ReportThrottle((p, v) => sent.push([p, v, Date.now() - start]));
    for (let i = 1; i <= 20; i++) t.offer("temperature", String(i), 100);
    t.offer("humidity", "50", 100); // properties are throttled independently
    expect(sent.map(([p, v]) => [p, v])).toEqual([
      ["temperature", "1"],
      ["humidity", "50"],
    ]);
    await waitFor("trailing value", () => sent.length === 3, 1000);
    expect(sent[2].slice(0, 2)).toEqual(["temperature", "20"]);
    expect(sent[2][2]).toBeGreaterThanOrEqual(90);
    await new Promise(r => setTimeout(r, 150));
    expect(sent).toHaveLength(3);
    t.stop();
  });

  it("drops held values when stopped", async () => {
    const sent: string[] = [];
    const t = new ReportThrottle((_p, v) => sent.push(v));
    t.offer("temperature", "1", 50);
    t.offer("temperature", "2", 50);
    t.stop();
    await new Promise(r => setTimeout(r, 80));
    expect(sent).toEqual(["1"]);
  });
});
