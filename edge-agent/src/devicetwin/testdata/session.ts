/**
 * A scripted mapper session: requests on every topic DeviceTwin serves, in order, and the
 * replies each one produced, normalized for golden comparison.
 */
import {
  DeviceTopicSuffix,
  NodeTopicSuffix,
  UPLOAD_PREFIX,
  deviceTopic,
  nodeTopic,
  type DeviceProfile,
} from "@kubeedge-ts/contract";
import { sampleProfile } from "./fixtures.js";

export interface Step {
  name: string;
  topic?: string;
  /** A string goes out as is (bad input); anything else as JSON. */
  payload?: unknown;
  /** Instead of an MQTT request: a new device profile from the cloud. */
  profile?: { profile: DeviceProfile; resourceVersion: string };
}

/** The device's wire id (its name, as the cloud's profile gives it) and its other form. */
const WIRE_ID = "thermo";
const NS_ID = "default/thermo";
const d = (id: string, suffix: DeviceTopicSuffix): string => deviceTopic(id, suffix);

function withSecondDevice(): DeviceProfile {
  const p = sampleProfile("40");
  const first = p.deviceInstances[0]!;
  p.deviceInstances.push({ ...first, id: "thermo-2", name: "thermo-2", twins: [] });
  return p;
}

/** Good traffic: every topic and reply a mapper sees. */
export function happySteps(node: string): Step[] {
  const at = (ts: number, v: string): unknown => ({ value: v, metadata: { timestamp: ts } });
  return [
    {
      name: "membership get",
      topic: nodeTopic(node, NodeTopicSuffix.MembershipGet),
      payload: { event_id: "m1", timestamp: 1 },
    },
    {
      name: "twin get",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinGet),
      payload: { event_id: "g1", timestamp: 1 },
    },
    {
      name: "twin update: reading differs from desired",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinUpdate),
      payload: {
        event_id: "u1",
        timestamp: 1,
        twin: { temperature: { actual: at(1_700_000_000_100, "25"), metadata: { type: "int" } } },
      },
    },
    {
      name: "twin update: reading reaches desired",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinUpdate),
      payload: {
        event_id: "u2",
        timestamp: 2,
        twin: { temperature: { actual: at(1_700_000_000_200, "30"), metadata: { type: "int" } } },
      },
    },
    {
      // Exactly what KubeEdge's mapper framework (CreateMessageTwinUpdate) publishes.
      name: "twin update as KubeEdge's mapper framework sends it",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinUpdate),
      payload: {
        event_id: "",
        timestamp: 1_700_000_000_250,
        twin: {
          power: {
            actual: { value: "true" },
            expected: { value: "" },
            metadata: { type: "boolean" },
          },
        },
      },
    },
    {
      name: "twin update: undeclared optional twin",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinUpdate),
      payload: {
        event_id: "u3",
        timestamp: 3,
        twin: { humidity: { actual: at(1_700_000_000_300, "40.5"), metadata: { type: "float" } } },
      },
    },
    {
      name: "twin update: delete optional twin",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinUpdate),
      payload: { event_id: "u4", timestamp: 4, twin: { humidity: null } },
    },
    { name: "twin get, empty payload", topic: d(WIRE_ID, DeviceTopicSuffix.TwinGet), payload: "" },
    {
      name: "state update online",
      topic: d(WIRE_ID, DeviceTopicSuffix.StateUpdate),
      payload: { event_id: "s1", timestamp: 5, state: "online" },
    },
    {
      name: "state update offline",
      topic: d(WIRE_ID, DeviceTopicSuffix.StateUpdate),
      payload: { event_id: "s2", timestamp: 6, state: "OFFLINE" },
    },
    {
      name: "cloud_updated from an MQTT client is refused",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinCloudUpdated),
      payload: {
        event_id: "c1",
        timestamp: 7,
        twin: {
          temperature: {
            expected: { value: "35" },
            expected_version: { cloud: 100, edge: 0 },
            metadata: { type: "int" },
          },
        },
      },
    },
    {
      name: "profile: desired value changed, device added",
      profile: { profile: withSecondDevice(), resourceVersion: "200" },
    },
    {
      name: "profile: device removed",
      profile: { profile: sampleProfile("40"), resourceVersion: "201" },
    },
    {
      name: "upload topic",
      topic: `${UPLOAD_PREFIX}${NS_ID}/events`,
      payload: { event_id: "up1", data: "door opened" },
    },
  ];
}

/** Bad traffic: each must be answered with an error on its result topic, changing nothing. */
export function badSteps(node: string): Step[] {
  const upd = d(WIRE_ID, DeviceTopicSuffix.TwinUpdate);
  return [
    { name: "not JSON", topic: upd, payload: "{not json" },
    { name: "twin is a string", topic: upd, payload: { event_id: "b1", twin: "hot" } },
    {
      name: "value is a number",
      topic: upd,
      payload: { event_id: "b2", twin: { temperature: { actual: { value: 25 } } } },
    },
    {
      name: "value of the wrong type",
      topic: upd,
      payload: { event_id: "b3", twin: { temperature: { actual: { value: "hot" } } } },
    },
    {
      name: "unknown device",
      topic: d("default/nope", DeviceTopicSuffix.TwinUpdate),
      payload: { event_id: "b4", twin: { temperature: { actual: { value: "1" } } } },
    },
    {
      name: "known device in its other id form (namespace/name)",
      topic: d(NS_ID, DeviceTopicSuffix.TwinGet),
      payload: { event_id: "b12" },
    },
    {
      name: "known device in its other id form, twin update",
      topic: d(NS_ID, DeviceTopicSuffix.TwinUpdate),
      payload: { event_id: "b13", twin: { temperature: { actual: { value: "1" } } } },
    },
    {
      name: "unknown device (bare name)",
      topic: d("nope", DeviceTopicSuffix.TwinGet),
      payload: { event_id: "b5" },
    },
    {
      name: "illegal key",
      topic: upd,
      payload: { event_id: "b6", twin: { "temp erature!": { actual: { value: "1" } } } },
    },
    {
      name: "stale reading",
      topic: upd,
      payload: {
        event_id: "b7",
        twin: {
          temperature: { actual: { value: "1", metadata: { timestamp: 1_600_000_000_000 } } },
        },
      },
    },
    {
      name: "stale version",
      topic: upd,
      payload: {
        event_id: "b8",
        twin: { temperature: { actual: { value: "1" }, actual_version: { cloud: 0, edge: 0 } } },
      },
    },
    {
      name: "cloud_updated from an MQTT client (forbidden)",
      topic: d(WIRE_ID, DeviceTopicSuffix.TwinCloudUpdated),
      payload: {
        event_id: "b9",
        twin: {
          temperature: { expected: { value: "1" }, expected_version: { cloud: 1, edge: 0 } },
        },
      },
    },
    {
      name: "unknown state",
      topic: d(WIRE_ID, DeviceTopicSuffix.StateUpdate),
      payload: { event_id: "b10", state: "exploded" },
    },
    {
      name: "membership get not JSON",
      topic: nodeTopic(node, NodeTopicSuffix.MembershipGet),
      payload: "][",
    },
    {
      name: "deleting a mandatory twin",
      topic: upd,
      payload: { event_id: "b11", twin: { temperature: null } },
    },
  ];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Replaces what differs between runs (generated ids, clock times) with placeholders. */
export function normalize(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map(v => normalize(v));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, k)]));
  }
  if (
    key === "timestamp" &&
    typeof value === "number" &&
    value > 1_700_000_000_000 + 86_400_000 * 365
  ) {
    return "<now>";
  }
  if (typeof value === "string" && UUID.test(value)) return "<uuid>";
  if (typeof value === "string" && RFC3339.test(value)) return "<rfc3339>";
  if (key === "message" && typeof value === "string") return value;
  return value;
}
