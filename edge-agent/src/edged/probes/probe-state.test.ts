import { describe, expect, it } from "vitest";
import type { Probe } from "../pod.js";
import { initialProbeState, recordProbe, type ProbeKind, type ProbeResult } from "./probe-state.js";

const run = (kind: ProbeKind, probe: Probe, results: ProbeResult[]): ProbeResult[] => {
  let state = initialProbeState(kind);
  return results.map(r => (state = recordProbe(state, r, probe)).result);
};
const S = "success" as const;
const F = "failure" as const;

describe("probe state (kubelet's thresholds)", () => {
  it.each<[string, ProbeKind, Probe, ProbeResult[], ProbeResult[]]>([
    ["liveness fails after 3 failures in a row (default)", "liveness", {}, [F, F, F], [S, S, F]],
    [
      "a success in between resets the failure streak",
      "liveness",
      {},
      [F, F, S, F, F],
      [S, S, S, S, S],
    ],
    ["readiness starts not ready and turns ready on the first success", "readiness", {}, [S], [S]],
    [
      "readiness needs successThreshold successes",
      "readiness",
      { successThreshold: 2 },
      [S, S],
      [F, S],
    ],
    [
      "readiness drops after failureThreshold failures",
      "readiness",
      { failureThreshold: 1 },
      [S, F, S],
      [S, F, S],
    ],
    ["startup fails after failureThreshold", "startup", { failureThreshold: 2 }, [F, F], [S, F]],
  ])("%s", (_what, kind, probe, results, expected) => {
    expect(run(kind, probe, results)).toEqual(expected);
  });

  it("starts readiness as failure and liveness as success", () => {
    expect(initialProbeState("readiness").result).toBe("failure");
    expect(initialProbeState("liveness").result).toBe("success");
  });
});
