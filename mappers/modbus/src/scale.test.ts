import { applyScale, decimalsOf } from "./scale.js";

describe("decimalsOf", () => {
  it.each([
    [0.001, 3],
    [0.01, 2],
    [0.25, 2],
    [0.1, 1],
    [1, 0],
    [2, 0],
    [10, 0],
    [1.5, 1],
    [1e-7, 7],
    [-0.05, 2],
  ])("%s has %s decimals", (scale, decimals) => {
    expect(decimalsOf(scale)).toBe(decimals);
  });
});

describe("applyScale", () => {
  it("drops the float noise of an integer register times a decimal scale", () => {
    expect(3699 * 0.001).not.toBe(3.699);
    expect(applyScale(3699, 0.001)).toBe(3.699);
    expect(String(applyScale(3699, 0.001))).toBe("3.699");
    expect(applyScale(29, 0.1)).toBe(2.9);
    expect(applyScale(-123, 0.01)).toBe(-1.23);
  });

  it("keeps whole numbers whole and scales up exactly", () => {
    expect(applyScale(250, 1)).toBe(250);
    expect(applyScale(7, 2)).toBe(14);
    expect(applyScale(3, 0.25)).toBe(0.75);
  });

  it("leaves a float register's value at its own precision", () => {
    expect(applyScale(1.2345678, 0.1)).toBeCloseTo(0.12345678, 12);
  });
});
