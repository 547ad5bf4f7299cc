import { initialState, pressureAt, step, TANK_HEIGHT_M, type PlantState } from "./physics.js";

function run(s: PlantState, command: number, seconds: number): PlantState {
  for (let i = 0; i < seconds; i++) s = step(s, command, 1);
  return s;
}

describe("water plant physics", () => {
  it("fills the tank while the valve is closed", () => {
    const after = run(initialState(5), 0, 30);
    expect(after.levelM).toBeGreaterThan(5.5);
    expect(after.valvePercent).toBe(0);
  });

  it("drains the tank through a fully open valve", () => {
    const after = run(initialState(5), 100, 30);
    expect(after.levelM).toBeLessThan(4.5);
    expect(after.valvePercent).toBe(100);
  });

  it("moves the valve at its travel speed, not at once", () => {
    expect(step(initialState(), 100, 1).valvePercent).toBe(25);
    expect(run(initialState(), 60, 3).valvePercent).toBe(60);
  });

  it("settles the tank near 4 m with the valve at 30 %", () => {
    const settled = run(initialState(4), 30, 2400);
    expect(settled.levelM).toBeGreaterThan(3);
    expect(settled.levelM).toBeLessThan(5);
  });

  it("lowers the line pressure as the valve opens", () => {
    expect(pressureAt(4, 100)).toBeLessThan(pressureAt(4, 50));
    expect(pressureAt(4, 50)).toBeLessThan(pressureAt(4, 0));
    expect(pressureAt(4, 0)).toBeCloseTo(3.3924, 4);
  });

  it.each([101, -1, 65535, Number.NaN])(
    "faults on command %s and holds the valve where it was",
    command => {
      const moving = run(initialState(), 40, 2);
      const faulted = step(moving, command, 1);
      expect(faulted.fault).toBe(true);
      expect(faulted.valvePercent).toBe(moving.valvePercent);
      expect(step(faulted, 40, 1).fault).toBe(false);
    },
  );

  it("keeps the level between an empty and a full tank", () => {
    expect(run(initialState(9.9), 0, 60).levelM).toBe(TANK_HEIGHT_M);
    expect(run(initialState(0.01), 100, 60).levelM).toBeGreaterThanOrEqual(0);
  });
});
