/**
 * Profile updates the cloud admitted that DeviceTwin still could not apply. The twin value rules
 * are shared with cloud admission, so this should not happen with our cloud; when it does (a
 * profile from another producer, a model changed under a device) the device keeps its old
 * desired values, and that must be visible, not a log line: every refusal is counted on
 * /metrics, the devices refused right now are a gauge, and each new refusal becomes a Warning
 * Event on the Device (through the outbox, so it reaches the cloud after an outage too).
 */
import { DEVICE_KIND, DEVICES_API_VERSION, ErrorCode } from "@kubeedge-ts/contract";
import type { Logger } from "pino";
import type { NodeEventReport } from "../store/outbox-payloads.js";
import type { Counter } from "../observability/metrics.js";
import type { TwinFailure } from "./result.js";
import type { DeviceRecord } from "./types.js";

type DeviceKey = Pick<DeviceRecord, "id" | "namespace" | "name">;

export const PROFILE_REFUSED_EVENT_REASON = "ProfileTwinsNotApplied";
export const PROFILE_REFUSALS_METRIC = "kubeedge_edge_twin_profile_refusals_total";
export const PROFILE_UNAPPLIED_METRIC = "kubeedge_edge_twin_devices_profile_unapplied";

/** The Warning Event about one device's refused profile update. */
export function profileRefusedEvent(device: DeviceKey, reason: string): NodeEventReport {
  return {
    reason: PROFILE_REFUSED_EVENT_REASON,
    message: `desired twins from the cloud not applied, the device keeps its last ones: ${reason}`,
    type: "Warning",
    involvedObject: {
      kind: DEVICE_KIND,
      apiVersion: DEVICES_API_VERSION,
      namespace: device.namespace,
      name: device.name,
    },
  };
}

export interface ProfileRefusalsDeps {
  /** Queues an Event for the cloud (the outbox). */
  emit: (key: string, event: NodeEventReport) => void;
  /** Counts refusals, labelled with the KubeEdge error code. */
  refusals: Counter;
  log: Logger;
}

export class ProfileRefusals {
  /** Device id → reason of the refusal its Event reported. */
  private readonly unapplied = new Map<string, string>();

  constructor(private readonly deps: ProfileRefusalsDeps) {}

  /** Devices whose latest profile update is refused. */
  get size(): number {
    return this.unapplied.size;
  }

  refused(device: DeviceKey, failure: TwinFailure): void {
    this.deps.refusals.inc({ code: String(failure.code) });
    if (failure.code === ErrorCode.Conflict) {
      // An older profile than the twins hold (a late relist): the newer desired values stay,
      // which is what the cloud wants; counted, not a warning.
      this.deps.log.info({ device: device.id, reason: failure.reason }, "older profile skipped");
      return;
    }
    this.deps.log.warn({ device: device.id, reason: failure.reason }, "profile twins not applied");
    // Every profile change re-applies every device: report a refusal once, not once per change.
    if (this.unapplied.get(device.id) === failure.reason) return;
    this.unapplied.set(device.id, failure.reason);
    this.deps.emit(device.id, profileRefusedEvent(device, failure.reason));
  }

  /** The device's desired values are applied (or it left the node): nothing refused any more. */
  cleared(deviceId: string): void {
    this.unapplied.delete(deviceId);
  }
}
