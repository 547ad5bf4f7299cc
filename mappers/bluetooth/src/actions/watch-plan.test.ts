import { planWatch } from "./watch-plan.js";

const WATCHER = {
  attributes: [
    { propertyName: "switch", actions: ["init", "turn"] },
    { propertyName: "mode", actions: ["setMode"] },
  ],
};

describe("planWatch", () => {
  it.each([
    { name: "nothing expected", expected: {}, actual: {}, want: [] },
    {
      name: "expected without actual",
      expected: { switch: "ON" },
      actual: {},
      want: [{ propertyName: "switch", expected: "ON", actions: ["init", "turn"] }],
    },
    { name: "already in sync", expected: { switch: "ON" }, actual: { switch: "ON" }, want: [] },
    {
      name: "differs",
      expected: { switch: "OFF", mode: "eco" },
      actual: { switch: "ON", mode: "eco" },
      want: [{ propertyName: "switch", expected: "OFF", actions: ["init", "turn"] }],
    },
    { name: "unwatched property", expected: { other: "1" }, actual: {}, want: [] },
    {
      name: "twin names match ignoring case",
      expected: { Mode: "eco" },
      actual: {},
      want: [{ propertyName: "Mode", expected: "eco", actions: ["setMode"] }],
    },
  ])("$name", ({ expected, actual, want }) => {
    expect(
      planWatch(WATCHER, new Map(Object.entries(expected)), new Map(Object.entries(actual))),
    ).toEqual(want);
  });
});
