/**
 * Upload topics (`$hw/events/upload/#`, `SYS/dis/upload_records`) → Kubernetes Events. KubeEdge
 * forwards these to its cloudhub as opaque messages; a plain Kubernetes cluster has no
 * receiver for that, so each becomes an Event on the Device it names (or on the Node), which
 * `kubectl describe device` shows. Pure.
 */
import { DEVICE_KIND, DEVICES_API_VERSION, UPLOAD_PREFIX } from "@kubeedge-ts/contract";

export const UPLOAD_EVENT_REASON = "DeviceUpload";
export const MAX_EVENT_MESSAGE = 1024;

export interface UploadEvent {
  reason: string;
  message: string;
  type: "Normal";
  involvedObject?: { kind: string; name: string; namespace?: string; apiVersion?: string };
}

/**
 * The Event for one upload. `findDevice` maps a topic id (`ns/name` or `name`) to the device's
 * namespace and name when it is a member of this node.
 */
export function uploadEvent(
  topic: string,
  payload: string,
  findDevice: (id: string) => { namespace: string; name: string } | undefined,
): UploadEvent {
  const text =
    payload.length > MAX_EVENT_MESSAGE ? `${payload.slice(0, MAX_EVENT_MESSAGE)}…` : payload;
  const event: UploadEvent = {
    reason: UPLOAD_EVENT_REASON,
    message: `${topic}: ${text}`,
    type: "Normal",
  };
  if (!topic.startsWith(UPLOAD_PREFIX)) return event;
  const parts = topic.slice(UPLOAD_PREFIX.length).split("/");
  const device = findDevice(parts.slice(0, 2).join("/")) ?? findDevice(parts[0] ?? "");
  if (device) {
    event.involvedObject = { kind: DEVICE_KIND, apiVersion: DEVICES_API_VERSION, ...device };
  }
  return event;
}
