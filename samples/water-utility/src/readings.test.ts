import { fromDocument, fromGetResult, numeric } from "./readings.js";

describe("twin readings", () => {
  it("takes actual and expected values from a twin/get result", () => {
    const payload = JSON.stringify({
      event_id: "1",
      timestamp: 1,
      twin: {
        position: { expected: { value: "40" }, actual: { value: "35" } },
        fault: { actual: { value: "false" } },
        unset: null,
      },
    });
    expect(fromGetResult(payload)).toEqual({
      actual: { position: "35", fault: "false" },
      expected: { position: "40" },
    });
  });

  it("takes the current values from a twin/update/document", () => {
    const payload = JSON.stringify({
      event_id: "2",
      timestamp: 2,
      twin: {
        level: { last: { actual: { value: "4.1" } }, current: { actual: { value: "4.2" } } },
      },
    });
    expect(fromDocument(payload)).toEqual({ actual: { level: "4.2" }, expected: {} });
  });

  it.each(["not json", "42", "null", "{}"])("ignores a payload without twins: %s", payload => {
    expect(fromGetResult(payload)).toBeUndefined();
    expect(fromDocument(payload)).toBeUndefined();
  });

  it.each([
    ["4.25", 4.25],
    ["", undefined],
    ["abc", undefined],
    [undefined, undefined],
  ])("reads %j as the number %s", (text, n) => {
    expect(numeric(text)).toBe(n);
  });
});
