import { isValidMac, isValidUuid, normalizeMac, normalizeUuid } from "./uuid.js";

describe("normalizeUuid", () => {
  it.each([
    { input: "F000AA01-0451-4000-B000-000000000000", want: "f000aa0104514000b000000000000000" },
    { input: "f000aa0104514000b000000000000000", want: "f000aa0104514000b000000000000000" },
    { input: "00002A19-0000-1000-8000-00805F9B34FB", want: "2a19" },
    { input: "2A19", want: "2a19" },
  ])("$input → $want", ({ input, want }) => {
    expect(normalizeUuid(input)).toBe(want);
    expect(isValidUuid(input)).toBe(true);
  });
  it("rejects garbage", () => expect(isValidUuid("temperature")).toBe(false));
});

describe("normalizeMac", () => {
  it.each(["A0:E6:F8:B6:37:83", "a0-e6-f8-b6-37-83", "a0e6f8b63783"])("%s", mac => {
    expect(normalizeMac(mac)).toBe("a0e6f8b63783");
    expect(isValidMac(mac)).toBe(true);
  });
  it("rejects a short address", () => expect(isValidMac("a0:e6:f8")).toBe(false));
});
