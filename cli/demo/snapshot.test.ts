import { deviceRow, metricValue, podRow } from "./snapshot.js";

describe("the live view's snapshot", () => {
  it("turns a Device's status into rows of twins", () => {
    const row = deviceRow({
      metadata: { name: "outlet-valve" },
      status: {
        state: "online",
        twins: [
          {
            propertyName: "position",
            reported: { value: "30", metadata: { timestamp: "1764547200000" } },
            desired: { value: "35" },
          },
          { propertyName: "fault", desired: { value: "" } },
        ],
      },
    });
    expect(row).toEqual({
      name: "outlet-valve",
      state: "online",
      twins: [
        { property: "position", reported: "30", desired: "35", reportedAt: 1764547200000 },
        { property: "fault", reported: undefined, desired: undefined, reportedAt: undefined },
      ],
    });
    expect(deviceRow({ metadata: { name: "new" } })).toEqual({
      name: "new",
      state: undefined,
      twins: [],
    });
  });

  it("counts a pod's restarts over its containers and reads its Ready condition", () => {
    expect(
      podRow({
        metadata: { name: "p" },
        status: {
          phase: "Running",
          conditions: [{ type: "Ready", status: "True" }],
          containerStatuses: [{ restartCount: 2 }, { restartCount: 1 }],
        },
      }),
    ).toEqual({ name: "p", phase: "Running", ready: true, restarts: 3 });
    expect(podRow({ metadata: { name: "q" } })).toEqual({
      name: "q",
      phase: "Pending",
      ready: false,
      restarts: 0,
    });
  });

  it("reads a metric from Prometheus text, summing its label sets", () => {
    const text = [
      "# HELP kubeedge_edge_outbox_depth Items waiting",
      "# TYPE kubeedge_edge_outbox_depth gauge",
      'kubeedge_edge_outbox_depth{kind="status"} 3',
      'kubeedge_edge_outbox_depth{kind="event"} 2',
      "kubeedge_edge_cloud_connected 1",
      "kubeedge_edge_cloud_connected_since 5",
    ].join("\n");
    expect(metricValue(text, "kubeedge_edge_outbox_depth")).toBe(5);
    expect(metricValue(text, "kubeedge_edge_cloud_connected")).toBe(1);
    expect(metricValue(text, "kubeedge_edge_pods_running")).toBeUndefined();
  });
});
