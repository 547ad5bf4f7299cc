import { describe, expect, it } from "vitest";
import {
  type DeploymentState,
  deploymentAvailable,
  describeDeployment,
} from "./deployment-ready.js";

const deployment = (status: DeploymentState["status"], generation = 2): DeploymentState => ({
  metadata: { name: "pepr-kubeedge-ts", generation },
  spec: { replicas: 2 },
  status,
});
const available = [{ type: "Available", status: "True" }];

describe("deploymentAvailable", () => {
  it.each([
    [
      "every replica updated and available",
      { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2, conditions: available },
      true,
    ],
    [
      "one replica still starting",
      { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 1, conditions: available },
      false,
    ],
    [
      "the controller has not seen the new spec",
      { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2, conditions: available },
      false,
    ],
    [
      "no Available condition yet",
      { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 },
      false,
    ],
    ["no status at all", undefined, false],
  ])("%s → %s", (_what, status, expected) => {
    expect(deploymentAvailable(deployment(status))).toBe(expected);
  });
});

describe("describeDeployment", () => {
  it("names what the pods wait for", () => {
    const pods = [
      {
        metadata: { name: "pepr-kubeedge-ts-abc" },
        status: {
          containerStatuses: [
            {
              name: "server",
              restartCount: 3,
              state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s" } },
            },
          ],
        },
      },
      { metadata: { name: "pepr-kubeedge-ts-def" }, status: { containerStatuses: [] } },
    ];
    expect(describeDeployment(deployment({ availableReplicas: 1 }), pods)).toBe(
      "pepr-kubeedge-ts 1/2 available (pod pepr-kubeedge-ts-abc: CrashLoopBackOff back-off 40s, 3 restarts)",
    );
  });

  it("names the scheduler's reason for a pod that no node can run", () => {
    const pods = [
      {
        metadata: { name: "pepr-kubeedge-ts-watcher-x" },
        status: {
          phase: "Pending",
          conditions: [
            {
              type: "PodScheduled",
              status: "False",
              reason: "Unschedulable",
              message: "no nodes available to schedule pods",
            },
          ],
        },
      },
    ];
    expect(describeDeployment(deployment({}), pods)).toBe(
      "pepr-kubeedge-ts 0/2 available (pod pepr-kubeedge-ts-watcher-x: Unschedulable no nodes available to schedule pods)",
    );
  });
});
