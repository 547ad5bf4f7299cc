/**
 * Cloud → edge sync from the device profiles (KubeEdge's membership updated/detail and twin
 * cloud sync): devices join and leave the node, attributes change, and desired values become
 * the twins' expected values — which mappers learn as `twin/update/delta` (plus our
 * `twin/cloud_updated` notice).
 */
import { randomUUID } from "node:crypto";
import {
  DeviceTopicSuffix,
  NodeTopicSuffix,
  deviceTopic,
  nodeTopic,
  type MsgTwin,
} from "@kubeedge-ts/contract";
import type { Logger } from "pino";
import type { CloudDesired } from "./cloud-desired.js";
import type { TwinEngine } from "./engine.js";
import type { ProfileRefusals } from "./profile-refusals.js";
import * as msg from "./messages.js";
import { desiredDevices, diffAttributes, planMembership, type ProfileSource } from "./profile.js";
import { attrToRow } from "./rows.js";
import type { TwinState } from "./state.js";
import { applyCloudSync } from "./twin-merge.js";
import type { DesiredDevice, DeviceRecord, Publish } from "./types.js";

export interface ProfileSyncDeps {
  state: TwinState;
  engine: TwinEngine;
  nodeName: string;
  log: Logger;
  now?: () => number;
  /** Called for devices that left the node. */
  onRemoved?: (device: DeviceRecord) => void;
  /** Makes refused profile updates visible: metric and Event, not only a log line. */
  refusals: ProfileRefusals;
  /** The desired values the cloud gave last, per device (they survive restarts). */
  cloudDesired: CloudDesired;
}

/** The desired value per declared property, as the cloud gives it now. */
function declaredDesired(want: DesiredDevice): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(want.declaredTypes)) out[name] = want.desired[name] ?? "";
  return out;
}

function sameValues(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every(k => b[k] === a[k]);
}

/**
 * The cloud's update of one declared twin, or undefined when the edge already agrees or the
 * cloud's desired value is the one it gave last time (`lastCloud`): then a desired value an
 * application set at the edge stays, until the cloud's desired value changes.
 */
function declaredTwinUpdate(
  held: MsgTwin | undefined,
  type: string,
  desired: string,
  version: number,
  lastCloud: string | undefined,
): MsgTwin | undefined {
  const expectedVersion = { cloud: version, edge: held?.expected_version?.edge ?? 0 };
  if (!held) {
    if (!desired) return { optional: false, metadata: { type } };
    const expected = { value: desired };
    return { expected, expected_version: expectedVersion, optional: false, metadata: { type } };
  }
  const retyped = held.metadata?.type !== type;
  const cloudUnchanged = lastCloud === desired && !retyped;
  // A model that changed the property's type re-judges the desired value: it may not fit.
  const changed =
    !cloudUnchanged && ((held.expected?.value ?? "") !== desired || (retyped && desired !== ""));
  // Only clear an expected value the cloud set; one a local app set stays.
  const cloudOwned = desired !== "" || (held.expected_version?.cloud ?? 0) > 0;
  if (changed && cloudOwned) {
    return { expected: { value: desired }, expected_version: expectedVersion, metadata: { type } };
  }
  return retyped ? { metadata: { type } } : undefined;
}

/** The cloud's twin updates for one device: new declared twins, changed or cleared desired. */
export function cloudTwinUpdate(
  held: DeviceRecord["twins"],
  want: DesiredDevice,
  version: number,
  lastCloud: Readonly<Record<string, string>> = {},
): Record<string, MsgTwin | null> {
  const out: Record<string, MsgTwin | null> = {};
  for (const [name, type] of Object.entries(want.declaredTypes)) {
    const last = Object.hasOwn(lastCloud, name) ? lastCloud[name] : undefined;
    const update = declaredTwinUpdate(held[name], type, want.desired[name] ?? "", version, last);
    if (update) out[name] = update;
  }
  // Twins the cloud created for properties the model no longer has go away.
  for (const [name, h] of Object.entries(held)) {
    if (!(name in want.declaredTypes) && h.optional === false) out[name] = null;
  }
  return out;
}

function newRecord(want: DesiredDevice): DeviceRecord {
  return {
    id: want.id,
    namespace: want.namespace,
    name: want.name,
    wireId: want.wireId,
    description: want.description,
    state: "",
    lastOnline: "",
    model: want.model,
    attributes: structuredClone(want.attributes),
    twins: {},
  };
}

export class ProfileSync {
  private readonly now: () => number;

  constructor(private readonly deps: ProfileSyncDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Brings DeviceTwin in line with the node's profiles; returns what to publish. */
  apply(sources: ProfileSource[]): Publish[] {
    const { state } = this.deps;
    const desired = desiredDevices(sources);
    const plan = planMembership(state.ids(), desired.keys());
    const out: Publish[] = [];
    const removed = plan.removed.length > 0 ? state.remove(plan.removed) : [];
    for (const d of removed) {
      this.deps.refusals.cleared(d.id);
      this.deps.onRemoved?.(d);
    }
    const fresh = plan.added.map(id => newRecord(desired.get(id)!.device));
    if (fresh.length > 0) state.add(fresh);
    for (const [id, { device, version }] of desired) {
      state.declared.set(id, device);
      const held = state.get(id)!;
      out.push(...this.syncAttributes(held, device));
      out.push(...this.syncTwins(held, device, version));
    }
    if (fresh.length > 0 || removed.length > 0) {
      const now = this.now();
      const added = fresh.map(d => state.get(d.id)!);
      out.unshift(
        msg.outgoing(
          nodeTopic(this.deps.nodeName, NodeTopicSuffix.MembershipUpdated),
          msg.membershipUpdated(randomUUID(), now, added, removed),
        ),
        msg.outgoing(
          nodeTopic(this.deps.nodeName, NodeTopicSuffix.MembershipDetail),
          msg.membershipResult(randomUUID(), now, state.list(), true),
        ),
      );
      this.deps.log.info({ added: plan.added, removed: plan.removed }, "membership changed");
    }
    return out;
  }

  private syncAttributes(held: DeviceRecord, want: DesiredDevice): Publish[] {
    const diff = diffAttributes(held.attributes, want.attributes);
    const names = Object.keys(diff);
    const rowChanged =
      held.model !== want.model ||
      held.description !== want.description ||
      held.wireId !== want.wireId;
    if (names.length === 0 && !rowChanged) return [];
    const tables = this.deps.state.tables;
    tables.db.transaction(() => {
      if (rowChanged)
        tables.updateDeviceFields(held.id, {
          model: want.model,
          description: want.description,
          wire_id: want.wireId,
        });
      tables.deviceAttrTrans(
        names.filter(n => diff[n]).map(n => attrToRow(held.id, n, diff[n]!)),
        names.filter(n => !diff[n]).map(name => ({ deviceId: held.id, name })),
        [],
      );
    })();
    held.model = want.model;
    held.description = want.description;
    if (held.wireId !== want.wireId) this.deps.state.rekey(held, want.wireId);
    for (const n of names) {
      if (diff[n]) held.attributes[n] = diff[n]!;
      else delete held.attributes[n];
    }
    if (names.length === 0) return [];
    const body = msg.attributesUpdated(randomUUID(), this.now(), diff);
    return [msg.outgoing(deviceTopic(held.wireId, DeviceTopicSuffix.AttributesUpdated), body)];
  }

  private syncTwins(held: DeviceRecord, want: DesiredDevice, version: number): Publish[] {
    const last = this.deps.cloudDesired.get(held.id);
    const now = declaredDesired(want);
    const remember = (): void => {
      if (!sameValues(last, now)) this.deps.cloudDesired.set(held.id, now);
    };
    const update = cloudTwinUpdate(held.twins, want, version, last);
    if (Object.keys(update).length === 0) {
      this.deps.refusals.cleared(held.id);
      remember();
      return [];
    }
    const out = this.applyCloudTwins(held, want, update);
    if (out) remember();
    return out ?? [];
  }

  /** Applies the cloud's twin update; undefined when DeviceTwin refused it. */
  private applyCloudTwins(
    held: DeviceRecord,
    want: DesiredDevice,
    update: Record<string, MsgTwin | null>,
  ): Publish[] | undefined {
    const now = this.now();
    const changes = applyCloudSync(held.twins, update, { now, declaredTypes: want.declaredTypes });
    if (!changes.ok) {
      this.deps.refusals.refused(held, changes);
      return undefined;
    }
    this.deps.refusals.cleared(held.id);
    this.deps.state.saveTwins(
      held,
      changes.value.next,
      changes.value.upserts,
      changes.value.deletes,
    );
    const eventId = randomUUID();
    const topicId = held.wireId;
    const out = this.deps.engine.afterChange(topicId, eventId, now, held, changes.value, false);
    const synced: Record<string, MsgTwin | null> = {};
    for (const k of changes.value.upserts) synced[k] = structuredClone(held.twins[k]!);
    for (const k of changes.value.deletes) synced[k] = null;
    this.deps.engine.remember(eventId);
    out.push(
      msg.outgoing(
        deviceTopic(topicId, DeviceTopicSuffix.TwinCloudUpdated),
        msg.twinResult(eventId, now, synced),
      ),
    );
    return out;
  }
}
