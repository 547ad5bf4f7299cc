/** Kubernetes resource quantities ("500m", "1.5", "64Mi", "1e3") as numbers. */

const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value (cores for cpu, bytes for memory); undefined if it is not one. */
export function parseQuantity(q: string | number | undefined): number | undefined {
  if (typeof q === "number") return q;
  if (typeof q !== "string") return undefined;
  const m =
    /^([+-]?\d+(?:\.\d+)?|\.\d+)(?:[eE]([+-]?\d+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(
      q.trim(),
    );
  if (!m) return undefined;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * SUFFIX[m[3] ?? ""]!;
}

/** Millicores of a cpu quantity, rounded up as Kubernetes does ("0.1" → 100, "1m" → 1). */
export function milliCpu(q: string | number | undefined): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(Math.round(v * 1e6) / 1e3);
}
