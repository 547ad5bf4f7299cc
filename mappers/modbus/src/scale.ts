/**
 * A visitor's `scale` applied to a register's raw number. An integer register times a decimal
 * scale (0.001 bar per count) carries binary float noise (3699 × 0.001 = 3.6990000000000003);
 * the scale says how many decimals the value has, so the product is rounded to them.
 */

/** The decimals a scale's shortest decimal form has: 0.001 → 3, 0.25 → 2, 2 → 0. */
export function decimalsOf(scale: number): number {
  const [mantissa = "", exponent = "0"] = Math.abs(scale).toExponential().split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/**
 * `raw × scale`, rounded to the scale's decimals when `raw` is an integer (a float32/float64
 * register's value keeps its own precision).
 */
export function applyScale(raw: number, scale: number): number {
  const value = raw * scale;
  if (!Number.isInteger(raw) || !Number.isFinite(value)) return value;
  // toFixed gives at most 100 decimals; no real scale comes near that.
  return Number(value.toFixed(Math.min(decimalsOf(scale), 100)));
}
