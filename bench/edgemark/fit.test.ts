import { fitLine } from "./fit.js";

describe("fitLine", () => {
  it("finds base and slope of points on a line", () => {
    const line = fitLine([
      [100, 250],
      [300, 650],
      [1000, 2050],
    ]);
    expect(line.perNode).toBeCloseTo(2, 6);
    expect(line.base).toBeCloseTo(50, 6);
  });

  it("averages noisy points by least squares", () => {
    const line = fitLine([
      [100, 10],
      [100, 20],
      [300, 30],
      [300, 40],
    ]);
    expect(line.perNode).toBeCloseTo(0.1, 6);
    expect(line.base).toBeCloseTo(5, 6);
  });
});
