import { describe, expect, it } from "vitest";
import { openDatabase } from "./database.js";
import { Outbox, OutboxKind } from "./outbox.js";

const report = (v: number) => ({ twins: [{ propertyName: "t", reported: { value: String(v) } }] });
const event = (i: number) => ({ reason: "Tick", message: `event ${i}` });

describe("outbox cap", () => {
  it("a flood of Events cannot push out reported twin values or pod deletes", () => {
    const outbox = new Outbox(openDatabase(":memory:"), {}, { maxRows: 5, maxBytes: 1 << 20 });
    outbox.enqueue(OutboxKind.DeviceStatus, "plant/meter", report(1));
    outbox.enqueue(OutboxKind.PodDelete, "plant/old-pod", { namespace: "plant", name: "old-pod" });
    for (let i = 0; i < 50; i++) outbox.enqueue(OutboxKind.Event, `e${i}`, event(i));
    outbox.enqueue(OutboxKind.DeviceStatus, "plant/meter-2", report(2));

    const kept = outbox.peek(100);
    expect(kept).toHaveLength(5);
    expect(kept.filter(e => e.kind !== OutboxKind.Event).map(e => e.key)).toEqual([
      "plant/meter",
      "plant/old-pod",
      "plant/meter-2",
    ]);
    // The newest Events stay; the oldest went first.
    expect(kept.filter(e => e.kind === OutboxKind.Event).map(e => e.key)).toEqual(["e48", "e49"]);
    expect(outbox.droppedEventCount()).toBe(48);
  });

  it("stays over the cap rather than drop a report when only reports are left", () => {
    const outbox = new Outbox(openDatabase(":memory:"), {}, { maxRows: 2, maxBytes: 1 << 20 });
    for (let i = 0; i < 4; i++) outbox.enqueue(OutboxKind.DeviceStatus, `d${i}`, report(i));
    expect(outbox.depth()).toBe(4);
    outbox.enqueue(OutboxKind.Event, "late", event(0));
    expect(outbox.depth()).toBe(4); // the new Event itself was the one to go
    expect(outbox.droppedEventCount()).toBe(1);
  });

  it("counts bytes of the stored payloads against maxBytes", () => {
    const big = { message: "x".repeat(1000) };
    const outbox = new Outbox(openDatabase(":memory:"), {}, { maxRows: 1000, maxBytes: 3500 });
    for (let i = 0; i < 10; i++) outbox.enqueue(OutboxKind.Event, `e${i}`, big);
    expect(outbox.depth()).toBe(3);
  });

  it("never drops an Event that is being sent", () => {
    const outbox = new Outbox(openDatabase(":memory:"), {}, { maxRows: 1, maxBytes: 1 << 20 });
    outbox.enqueue(OutboxKind.Event, "first", event(1));
    const sending = outbox.take();
    outbox.enqueue(OutboxKind.Event, "second", event(2));
    expect(outbox.peek().map(e => e.key)).toEqual(["first"]);
    outbox.ack(sending!.seq);
  });
});
