/**
 * Edgemark at N=10 (bench/edgemark.ts), short: keeps the bench from rotting and checks that its
 * figures are sane — every hollow node registered and Ready without a flap, Leases renewed,
 * mapper reports reaching the Devices' status, desired changes reaching the nodes as deltas,
 * and the cost figures read from /proc and the apiserver's /metrics.
 */
import { runEdgemark } from "../../bench/edgemark/run.js";
import type { EdgemarkResult } from "../../bench/edgemark/result.js";
import { testCluster } from "../harness.js";

const NODES = 10;
const DEVICES = 2;
let result: EdgemarkResult;

beforeAll(async () => {
  result = await runEdgemark({
    nodes: NODES,
    devicesPerNode: DEVICES,
    reportSeconds: 2,
    podsPerNode: 1,
    desiredPerSecond: 2,
    durationSeconds: 8,
    heartbeatSeconds: 2,
    moduleRestart: false,
    clusterDir: testCluster().dir,
  });
  // About 60 s on the shared machine at load 15 (module start-up is most of it); at load 25
  // the same run took over 110 s. Bounded by the e2e hook limit, not by a guess at the load.
}, 280_000);

describe("edgemark at 10 hollow nodes", () => {
  it("has every node Ready at the end, with no NotReady flap", () => {
    expect(result.nodes.readyAtEnd).toBe(NODES);
    expect(result.nodes.notReadyFlaps).toBe(0);
  });

  it("saw every node renew its Lease during the window", () => {
    // 8 s at a 2 s heartbeat: at least two renewals per node, whatever the load.
    expect(result.leases.renewals).toBeGreaterThanOrEqual(2 * NODES);
    expect(result.cost.requestRates["PUT leases"]).toBeGreaterThan(0);
  });

  it("got reported values into the Devices' status and desired changes to the nodes", () => {
    const r = result.reportedToStatus;
    expect(r.arrived).toBeGreaterThanOrEqual(NODES * DEVICES);
    expect(r.p50Ms).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    expect(r.lost).toBe(0);
    expect(result.desiredToDelta.arrived).toBeGreaterThan(0);
    expect(result.cost.requestRates["PATCH devices"]).toBeGreaterThan(0);
  });

  it("measured the cloud's processes and the watches", () => {
    for (const name of ["apiserver", "etcd", "module", "hollowFleet"]) {
      expect(result.cost.processes[name]?.cpuMsPerSecond).toBeGreaterThan(0);
      expect(result.cost.processes[name]?.rssMiB).toBeGreaterThan(10);
    }
    // Each hollow node watches at least its pods, its Node and its profile ConfigMap.
    expect(result.openWatches).toBeGreaterThanOrEqual(3 * NODES);
    expect(result.timings.profileAtNodeMs).toBeGreaterThan(0);
  });
});
