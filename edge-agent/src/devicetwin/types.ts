import type { MsgAttr, MsgTwin } from "@kubeedge-ts/contract";

/** A device as DeviceTwin holds it in memory (KubeEdge's dttype.Device) and in SQLite. */
export interface DeviceRecord {
  /** `namespace/name`: the identity inside the agent (store, reporter, status writes). */
  id: string;
  namespace: string;
  name: string;
  /**
   * The id on the MQTT wire: topics the agent publishes and answers on, membership lists. The
   * profile's `id`, which our cloud sets to the bare name (KubeEdge v1alpha2).
   */
  wireId: string;
  description: string;
  /** online | offline | ok | unknown | unhealthy, or "" before the mapper said anything. */
  state: string;
  /** RFC3339, set when the device reports online or ok. */
  lastOnline: string;
  /** Name of the DeviceModel (in the device's namespace). */
  model: string;
  attributes: Record<string, MsgAttr>;
  twins: Record<string, MsgTwin>;
}

/** What the cloud says a device is, read from the device profile. */
export interface DesiredDevice {
  id: string;
  namespace: string;
  name: string;
  /** The profile's `id` when it is the name or `namespace/name`; otherwise the name. */
  wireId: string;
  description: string;
  model: string;
  attributes: Record<string, MsgAttr>;
  /** dataType per property of the model. */
  declaredTypes: Record<string, string>;
  /** Desired value per property ("" or absent = none). */
  desired: Record<string, string>;
  /** Shortest reportCycle of its property visitors, in ms. */
  reportCycleMs?: number;
}

/** An MQTT publish the agent wants made. */
export interface Publish {
  topic: string;
  payload: string;
}
