/**
 * Replies to the runtime configuration topics. KubeEdge's mapper only logged errors; we also
 * answer on `<request topic>/result`, so whoever published can see what happened.
 */
import { randomUUID } from "node:crypto";
import type { BaseMessage } from "@kubeedge-ts/contract";

export interface RuntimeReply {
  /** 200 applied; 400 bad payload; 404 unknown action, schedule or device. */
  code: number;
  reason: string;
  errors?: string[];
  warnings?: string[];
}

export type RuntimeReplyMessage = BaseMessage & RuntimeReply;

export const RESULT_SUFFIX = "/result";

export function resultTopic(requestTopic: string): string {
  return `${requestTopic}${RESULT_SUFFIX}`;
}

export function replyMessage(reply: RuntimeReply, now = Date.now()): RuntimeReplyMessage {
  return { event_id: randomUUID(), timestamp: now, ...reply };
}

/** KubeEdge's scheduler telemetry on `.../scheduler/result`, plus our `schedule` and `error`. */
export interface ScheduleResultMessage {
  EventName: string;
  TimeStamp: number;
  EventResult: string;
  schedule: string;
  error?: string;
}
