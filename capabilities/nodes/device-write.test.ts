// Fixtures are edited loosely per case, as the apiserver would hand them over.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe, expect, it } from "vitest";
import type { Device } from "../../crds/index.js";
import { nodeWriteDenial, nodeWriteViolation, rebuildNodeWrite } from "./device-write.js";
import { requestingNode } from "../shared/node-identity.js";

const DECLARED = new Set(["temperature", "enable"]);

const stored = (): Device =>
  ({
    metadata: {
      name: "t1",
      namespace: "ns",
      labels: { "devices.kubeedge.io/node": "edge-a" },
      annotations: { "kubeedge-ts.pepr.dev/devices": "succeeded", note: "x" },
    },
    spec: {
      deviceModelRef: { name: "thermo" },
      nodeSelector: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: "", operator: "In", values: ["edge-a"] }] },
        ],
      },
    },
    status: {
      twins: [
        {
          propertyName: "enable",
          desired: { value: "ON", metadata: { type: "string" } },
          reported: { value: "OFF" },
        },
      ],
    },
  }) as Device;

/** What the apiserver hands the webhook for a node's merge patch: twins replaced wholesale. */
const patched = (status: object, change: (d: any) => void = () => undefined): Device => {
  const d: any = { ...stored(), status };
  change(d);
  return d as Device;
};

const report = {
  twins: [
    {
      propertyName: "temperature",
      reported: { value: "25", metadata: { type: "int", timestamp: "1" } },
    },
  ],
  state: "online",
  lastOnlineTime: "2026-11-23T20:00:00Z",
};

describe("requestingNode", () => {
  it.each([
    {
      user: { username: "system:node:edge-a", groups: ["system:nodes", "system:authenticated"] },
      want: "edge-a",
    },
    { user: { username: "system:node:edge-a", groups: ["system:authenticated"] }, want: undefined },
    { user: { username: "admin", groups: ["system:masters"] }, want: undefined },
    { user: undefined, want: undefined },
  ])("$user.username in $user.groups → $want", ({ user, want }) => {
    expect(requestingNode(user)).toBe(want);
  });
});

describe("nodeWriteViolation", () => {
  const cases: { name: string; node?: string; incoming: Device; want?: string }[] = [
    { name: "allows a report of a declared property with state", incoming: patched(report) },
    {
      name: "allows repeating the stored desired value",
      incoming: patched({
        twins: [
          {
            propertyName: "enable",
            desired: { value: "ON", metadata: { type: "string" } },
            reported: { value: "ON" },
          },
        ],
      }),
    },
    {
      name: "refuses another node's device",
      node: "edge-b",
      incoming: patched(report),
      want: "node edge-b may not write Device ns/t1: it is bound to node edge-a",
    },
    {
      name: "refuses a spec change",
      incoming: patched(report, d => (d.spec = { ...d.spec, deviceModelRef: { name: "other" } })),
      want: "node edge-a may not write Device ns/t1: nodes may not change spec",
    },
    {
      name: "refuses a label change",
      incoming: patched(
        report,
        d => (d.metadata = { ...d.metadata, labels: { "devices.kubeedge.io/node": "edge-b" } }),
      ),
      want: "node edge-a may not write Device ns/t1: nodes may not change metadata.labels",
    },
    {
      name: "refuses an annotation change but ignores Pepr's own",
      incoming: patched(
        report,
        d =>
          (d.metadata = {
            ...d.metadata,
            annotations: { note: "y", "kubeedge-ts.pepr.dev/devices": "started" },
          }),
      ),
      want: "node edge-a may not write Device ns/t1: nodes may not change metadata.annotations",
    },
    {
      name: "refuses a desired value change",
      incoming: patched({ twins: [{ propertyName: "enable", desired: { value: "OFF" } }] }),
      want: "node edge-a may not write Device ns/t1: it may not change the desired value of enable (only reported values, state and lastOnlineTime)",
    },
    {
      name: "refuses a report for a property the model does not declare",
      incoming: patched({ twins: [{ propertyName: "humidity", reported: { value: "1" } }] }),
      want: 'node edge-a may not write Device ns/t1: it reports property "humidity", which DeviceModel thermo does not declare',
    },
  ];
  it.each(cases)("$name", ({ node, incoming, want }) => {
    expect(nodeWriteViolation(node ?? "edge-a", stored(), incoming, DECLARED)).toBe(want);
  });
});

describe("rebuildNodeWrite", () => {
  it("keeps everything stored and takes reported values, state and last-online time", () => {
    const out = rebuildNodeWrite(stored(), patched(report));
    expect(out.spec).toEqual(stored().spec);
    expect(out.metadata).toEqual(stored().metadata);
    expect(out.status).toEqual({
      twins: [
        {
          propertyName: "enable",
          desired: { value: "ON", metadata: { type: "string" } },
          reported: { value: "OFF" },
        },
        report.twins[0],
      ],
      state: "online",
      lastOnlineTime: "2026-11-23T20:00:00Z",
    });
  });

  it("replaces the reported value of a stored twin and keeps its desired value", () => {
    const out = rebuildNodeWrite(
      stored(),
      patched({ twins: [{ propertyName: "enable", reported: { value: "ON" } }] }),
    );
    expect(out.status?.twins).toEqual([
      {
        propertyName: "enable",
        desired: { value: "ON", metadata: { type: "string" } },
        reported: { value: "ON" },
      },
    ]);
  });

  it("passes the validating check once rebuilt, which the raw patch does not", () => {
    const incoming = patched(report);
    expect(nodeWriteDenial("edge-a", stored(), incoming, DECLARED)).toBe(
      "node edge-a may not write Device ns/t1: it would drop the desired value of enable",
    );
    expect(
      nodeWriteDenial("edge-a", stored(), rebuildNodeWrite(stored(), incoming), DECLARED),
    ).toBeUndefined();
  });
});
