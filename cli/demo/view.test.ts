import { age, plainLine, render, type Snapshot } from "./view.js";

const AT = Date.parse("2026-12-01T00:00:00Z");

const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  at: AT,
  node: "edge-1",
  devices: [
    {
      name: "reservoir-level",
      state: "online",
      twins: [{ property: "level", reported: "4.12", reportedAt: AT - 3000 }],
    },
    {
      name: "outlet-valve",
      twins: [
        { property: "position", reported: "30", desired: "35", reportedAt: AT - 65_000 },
        { property: "fault", reported: "false" },
      ],
    },
  ],
  pods: [{ name: "modbus-mapper-abc", phase: "Running", ready: true, restarts: 0 }],
  agent: { cloudConnected: true, outboxDepth: 0 },
  apiserverDown: false,
  ...over,
});

describe("the demo's live view", () => {
  it("shows each device's twins with reported and desired values and their age", () => {
    expect(render(snapshot())).toEqual([
      "kubeedge-ts demo, node edge-1  2026-12-01T00:00:00.000Z",
      "cloud link: connected  outbox: 0",
      "",
      "DEVICE           STATE   PROPERTY  REPORTED  DESIRED  UPDATED",
      "reservoir-level  online  level     4.12      -        3s",
      "outlet-valve     -       position  30        35       1m5s",
      "                         fault     false     -        -",
      "",
      "POD ON edge-1      STATUS   READY  RESTARTS",
      "modbus-mapper-abc  Running  yes    0",
    ]);
  });

  it("says when the link is down and the table is what was last seen", () => {
    const lines = render(
      snapshot({ agent: { cloudConnected: false, outboxDepth: 12 }, apiserverDown: true }),
    );
    expect(lines[1]).toBe(
      "cloud link: OFFLINE  outbox: 12  (apiserver unreachable: devices and pods as last seen)",
    );
    expect(render(snapshot({ agent: {} }))[1]).toBe("cloud link: agent not answering  outbox: -");
  });

  it("prints one plain line when stdout is not a terminal", () => {
    expect(plainLine(snapshot())).toBe(
      "cloud link: connected  outbox: 0 | reservoir-level.level=4.12 outlet-valve.position=30(desired 35) outlet-valve.fault=false | pods modbus-mapper-abc:Running:0",
    );
    expect(plainLine(snapshot({ devices: [], pods: [] }))).toBe(
      "cloud link: connected  outbox: 0 | no reported values yet | pods none",
    );
  });

  it.each([
    [undefined, "-"],
    [AT, "0s"],
    [AT - 59_000, "59s"],
    [AT - 61_000, "1m1s"],
    [AT - 7_200_000, "2h"],
    [AT + 5000, "0s"],
  ])("writes the age of %s as %s", (from, expected) => {
    expect(age(from, AT)).toBe(expected);
  });
});
