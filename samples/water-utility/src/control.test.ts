import { DEFAULT_CONTROL, nextWrite, valveCommand } from "./control.js";

describe("the water utility's valve control", () => {
  it.each([
    [4, 30],
    [5, 70],
    [6, 100],
    [9, 100],
    [3.5, 10],
    [2, 0],
  ])("at a level of %s m with good pressure opens the valve to %s %%", (levelM, expected) => {
    expect(valveCommand({ levelM, pressureBar: 3 })).toBe(expected);
  });

  it("closes a step instead of opening further while the line pressure is below its floor", () => {
    expect(valveCommand({ levelM: 6, pressureBar: 1.8, valvePercent: 60 })).toBe(55);
    expect(valveCommand({ levelM: 3.5, pressureBar: 1.8, valvePercent: 60 })).toBe(10);
  });

  it("follows the level alone until the pressure sensor has reported", () => {
    expect(valveCommand({ levelM: 5, valvePercent: 20 })).toBe(70);
  });

  it("writes nothing when the held position is within the deadband", () => {
    expect(nextWrite({ levelM: 4, pressureBar: 3, valvePercent: 31 })).toBeUndefined();
    expect(
      nextWrite({ levelM: 4, pressureBar: 3, valvePercent: 30 + DEFAULT_CONTROL.deadbandPercent }),
    ).toBe(30);
    expect(nextWrite({ levelM: 4, pressureBar: 3 })).toBe(30);
  });
});
