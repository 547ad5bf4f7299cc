import { describe, expect, it } from "vitest";
import { renewAt } from "./cert-rotation.js";

describe("certificate renewal time", () => {
  const cert = { validFrom: "Jan  1 00:00:00 2026 GMT", validTo: "Jan 11 00:00:00 2026 GMT" };
  it("is at 80% of the lifetime by default", () => {
    expect(new Date(renewAt(cert, 0)).toISOString()).toBe("2026-01-09T00:00:00.000Z");
  });
  it("is the given time before expiry when set", () => {
    expect(new Date(renewAt(cert, 3600)).toISOString()).toBe("2026-01-10T23:00:00.000Z");
  });
});
