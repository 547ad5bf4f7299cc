/**
 * What DeviceTwin does with one MQTT message from a mapper: membership get, twin update / get
 * and device state update. Transport-free: a topic and payload in, the publishes to make out
 * (results, deltas, documents), status changes to the reporter. Every refusal answers on the
 * request's result topic with KubeEdge's {code, reason}.
 *
 * `twin/cloud_updated` from an MQTT client is refused (403): the cloud's desired values reach
 * DeviceTwin only from the profile (ProfileSync, on the bus). Any local process can publish on
 * the broker, and a cloud sync it could send would set cloud versions the real cloud has never
 * given, after which every real sync is refused as older: the cloud would lose the device.
 */
import { randomUUID } from "node:crypto";
import {
  DeviceState,
  DeviceTopicSuffix,
  ErrorCode,
  NodeTopicSuffix,
  deviceTopic,
  nodeTopic,
  parseDeviceTopic,
  parseNodeTopic,
  type ParsedDeviceTopic,
} from "@kubeedge-ts/contract";
import type { Logger } from "pino";
import type { ReportedTwin } from "../store/device-status.js";
import * as msg from "./messages.js";
import type { StatusReporter } from "./reporter.js";
import { fail, type TwinFailure } from "./result.js";
import type { TwinState } from "./state.js";
import { own } from "./own-keys.js";
import { applyEdgeUpdate, publicTwins, type TwinChanges } from "./twin-merge.js";
import type { DeviceRecord, Publish } from "./types.js";
import { parseGet, parseStateUpdate, parseTwinUpdate, sniffEventId } from "./validate.js";

export interface EngineDeps {
  state: TwinState;
  nodeName: string;
  reporter: StatusReporter;
  log: Logger;
  now?: () => number;
  /** A `twin/update` that would leave a device with more twins is refused (400). */
  maxTwinsPerDevice?: number;
}

/** Who sent an MQTT message, as far as DeviceTwin needs to know. */
export interface MessageOrigin {
  /** An application granted the device: its `expected` values set desired values. */
  setsDesired?: boolean;
}

const RESULT_OF: Partial<Record<DeviceTopicSuffix, DeviceTopicSuffix>> = {
  [DeviceTopicSuffix.TwinUpdate]: DeviceTopicSuffix.TwinUpdateResult,
  [DeviceTopicSuffix.TwinCloudUpdated]: DeviceTopicSuffix.TwinUpdateResult,
  [DeviceTopicSuffix.TwinGet]: DeviceTopicSuffix.TwinGetResult,
  [DeviceTopicSuffix.StateUpdate]: DeviceTopicSuffix.StateUpdateResult,
};

/** RFC3339 without fractions, as Kubernetes and KubeEdge write times. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class TwinEngine {
  private readonly now: () => number;
  /** event_ids of our own cloud_updated publishes: the broker echoes them to our subscription. */
  private readonly ownEvents = new Set<string>();
  handled = 0;
  refused = 0;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Handles one message on a subscribed topic; returns what to publish. Never throws. */
  handle(topic: string, payload: string, origin: MessageOrigin = {}): Publish[] {
    try {
      const node = parseNodeTopic(topic);
      if (node?.suffix === NodeTopicSuffix.MembershipGet)
        return this.membershipGet(node.nodeName, payload);
      const device = parseDeviceTopic(topic);
      if (!device) return [];
      const resultSuffix = RESULT_OF[device.suffix];
      if (!resultSuffix) return [];
      // Our own cloud_updated notices come back through the subscription: not a request.
      const isEcho =
        device.suffix === DeviceTopicSuffix.TwinCloudUpdated &&
        this.ownEvents.has(sniffEventId(payload));
      if (isEcho) return [];
      this.handled++;
      return this.dispatch(device, payload, resultSuffix, origin);
    } catch (error) {
      // A bug must not take the node's device loop down; the mapper still gets an answer.
      this.deps.log.error({ err: error, topic }, "twin message failed");
      const device = parseDeviceTopic(topic);
      const suffix = device && RESULT_OF[device.suffix];
      if (!device || !suffix) return [];
      return [
        this.error(device, suffix, sniffEventId(payload), fail(ErrorCode.Internal, String(error))),
      ];
    }
  }

  /** Marks an event id as ours so its echo on a subscribed topic is ignored. */
  remember(eventId: string): void {
    this.ownEvents.add(eventId);
    if (this.ownEvents.size > 4096) this.ownEvents.delete(this.ownEvents.values().next().value!);
  }

  private dispatch(
    topic: ParsedDeviceTopic,
    payload: string,
    resultSuffix: DeviceTopicSuffix,
    origin: MessageOrigin,
  ): Publish[] {
    switch (topic.suffix) {
      case DeviceTopicSuffix.TwinUpdate:
        return this.twinUpdate(topic, payload, origin);
      case DeviceTopicSuffix.TwinCloudUpdated: {
        const reason = "twin/cloud_updated is the cloud's path, not open to MQTT clients";
        return [
          this.error(topic, resultSuffix, sniffEventId(payload), fail(ErrorCode.Forbidden, reason)),
        ];
      }
      case DeviceTopicSuffix.TwinGet:
        return this.twinGet(topic, payload);
      case DeviceTopicSuffix.StateUpdate:
        return this.stateUpdate(topic, payload);
      default:
        return [
          this.error(topic, resultSuffix, "", fail(ErrorCode.BadRequest, "unsupported topic")),
        ];
    }
  }

  private error(
    topic: ParsedDeviceTopic,
    suffix: DeviceTopicSuffix,
    eventId: string,
    f: TwinFailure,
  ): Publish {
    this.refused++;
    this.deps.log.debug(
      { device: topic.deviceId, code: f.code, reason: f.reason },
      "twin message refused",
    );
    return msg.outgoing(
      deviceTopic(topic.deviceId, suffix),
      msg.errorResult(eventId, this.now(), f),
    );
  }

  private membershipGet(nodeName: string, payload: string): Publish[] {
    // On a shared external broker other nodes' agents answer for their own devices.
    if (nodeName !== this.deps.nodeName) return [];
    this.handled++;
    const topic = nodeTopic(nodeName, NodeTopicSuffix.MembershipGetResult);
    const req = parseGet(payload);
    if (!req.ok) {
      this.refused++;
      return [msg.outgoing(topic, msg.errorResult(sniffEventId(payload), this.now(), req))];
    }
    return [
      msg.outgoing(
        topic,
        msg.membershipResult(req.value.eventId, this.now(), this.deps.state.list()),
      ),
    ];
  }

  private twinUpdate(topic: ParsedDeviceTopic, payload: string, origin: MessageOrigin): Publish[] {
    const resultSuffix = DeviceTopicSuffix.TwinUpdateResult;
    const req = parseTwinUpdate(payload);
    if (!req.ok) return [this.error(topic, resultSuffix, sniffEventId(payload), req)];
    const { eventId } = req.value;
    const found = this.deps.state.resolve(topic);
    if (!found.ok) return [this.error(topic, resultSuffix, eventId, found)];
    const device = found.value;
    const now = this.now();
    const declaredTypes = this.deps.state.declared.get(device.id)?.declaredTypes ?? {};
    const changes = applyEdgeUpdate(device.twins, req.value.twin, {
      now,
      declaredTypes,
      setsDesired: origin.setsDesired === true,
    });
    if (!changes.ok) return [this.error(topic, resultSuffix, eventId, changes)];
    const tooMany = this.tooManyTwins(device, changes.value);
    if (tooMany) return [this.error(topic, resultSuffix, eventId, tooMany)];
    try {
      this.deps.state.saveTwins(
        device,
        changes.value.next,
        changes.value.upserts,
        changes.value.deletes,
      );
    } catch (error) {
      this.deps.log.error({ err: error, device: device.id }, "storing twins failed");
      return [
        this.error(
          topic,
          resultSuffix,
          eventId,
          fail(ErrorCode.Internal, "storing the twin failed"),
        ),
      ];
    }
    this.reportActuals(device, req.value.twin, declaredTypes);
    return this.afterChange(topic.deviceId, eventId, now, device, changes.value, true);
  }

  private tooManyTwins(device: DeviceRecord, changes: TwinChanges): TwinFailure | undefined {
    const max = this.deps.maxTwinsPerDevice ?? Infinity;
    const count = Object.keys(changes.next).length;
    if (count <= max || count <= Object.keys(device.twins).length) return undefined;
    return fail(ErrorCode.BadRequest, `device ${device.id} may have at most ${max} twins`);
  }

  /** Result (edge updates only), document of what changed, and the delta if one remains. */
  afterChange(
    topicId: string,
    eventId: string,
    now: number,
    device: DeviceRecord,
    changes: TwinChanges,
    withResult: boolean,
  ): Publish[] {
    const out: Publish[] = [];
    if (withResult) {
      out.push(
        msg.outgoing(
          deviceTopic(topicId, DeviceTopicSuffix.TwinUpdateResult),
          msg.twinResult(eventId, now, changes.result),
        ),
      );
    }
    if (Object.keys(changes.document).length > 0) {
      out.push(
        msg.outgoing(
          deviceTopic(topicId, DeviceTopicSuffix.TwinUpdateDocument),
          msg.twinDocument(eventId, now, changes.document),
        ),
      );
    }
    const delta = msg.twinDelta(randomUUID(), now, device.twins);
    if (delta)
      out.push(msg.outgoing(deviceTopic(topicId, DeviceTopicSuffix.TwinUpdateDelta), delta));
    return out;
  }

  /**
   * Reported values of properties the model declares go to the Device status. Every declared
   * twin with a value goes along, not only the ones this message changed: a merge patch
   * replaces the whole `twins` list, so a partial list would rely on the cloud to restore
   * the rest.
   */
  private reportActuals(
    device: DeviceRecord,
    update: Record<string, unknown>,
    declared: Record<string, string>,
  ): void {
    if (!Object.keys(update).some(k => Object.hasOwn(declared, k))) return;
    const twins: ReportedTwin[] = [];
    for (const [key, type] of Object.entries(declared)) {
      const actual = own(device.twins, key)?.actual;
      if (!actual?.value) continue;
      const ts = actual.metadata?.timestamp ?? this.now();
      twins.push({
        propertyName: key,
        reported: { value: actual.value, metadata: { timestamp: String(ts), type } },
      });
    }
    if (twins.length === 0) return;
    const cycle = this.deps.state.declared.get(device.id)?.reportCycleMs;
    this.deps.reporter.report(device.namespace, device.name, { twins }, cycle);
  }

  private twinGet(topic: ParsedDeviceTopic, payload: string): Publish[] {
    const suffix = DeviceTopicSuffix.TwinGetResult;
    const req = parseGet(payload);
    if (!req.ok) return [this.error(topic, suffix, sniffEventId(payload), req)];
    const found = this.deps.state.resolve(topic);
    if (!found.ok) return [this.error(topic, suffix, req.value.eventId, found)];
    const body = msg.twinResult(req.value.eventId, this.now(), publicTwins(found.value.twins));
    return [msg.outgoing(deviceTopic(topic.deviceId, suffix), body)];
  }

  private stateUpdate(topic: ParsedDeviceTopic, payload: string): Publish[] {
    const suffix = DeviceTopicSuffix.StateUpdateResult;
    const req = parseStateUpdate(payload);
    if (!req.ok) return [this.error(topic, suffix, sniffEventId(payload), req)];
    const found = this.deps.state.resolve(topic);
    if (!found.ok) return [this.error(topic, suffix, req.value.eventId, found)];
    const device = found.value;
    const now = this.now();
    const { state } = req.value;
    const seen = state === DeviceState.Online || state === DeviceState.Ok;
    // KubeEdge blanks last_online on offline; we keep when it was last seen, which is the point.
    const lastOnline = seen ? rfc3339(now) : device.lastOnline;
    try {
      this.deps.state.saveState(device, state, lastOnline);
    } catch (error) {
      this.deps.log.error({ err: error, device: device.id }, "storing device state failed");
      return [
        this.error(
          topic,
          suffix,
          req.value.eventId,
          fail(ErrorCode.Internal, "storing the state failed"),
        ),
      ];
    }
    const status = lastOnline ? { state, lastOnlineTime: lastOnline } : { state };
    const cycle = this.deps.state.declared.get(device.id)?.reportCycleMs;
    this.deps.reporter.report(device.namespace, device.name, status, cycle);
    return [
      msg.outgoing(
        deviceTopic(topic.deviceId, suffix),
        msg.stateResult(req.value.eventId, now, device),
      ),
    ];
  }
}
