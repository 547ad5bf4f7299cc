import { randomUUID } from "node:crypto";

/**
 * A message on the module bus, shaped as KubeEdge's beehive model: a header that identifies
 * it (and, for a response, the sync message it answers), a router that says where it comes
 * from and what it is about, and free-form content.
 */
export interface MessageHeader {
  id: string;
  /** Set on a response: the id of the sync message it answers. */
  parentId?: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** The sender waits for a response (sendSync). */
  sync?: boolean;
  /** resourceVersion of the object carried, when the content is a Kubernetes object. */
  resourceVersion?: string;
}

export interface MessageRouter {
  /** Module that sent the message. */
  source: string;
  /** Group the message was broadcast to, if any. */
  group?: string;
  /** What the message is about, e.g. `default/pod/nginx` or `node/connection`. */
  resource: string;
  /** What to do with it: see `Operation`. */
  operation: string;
}

export interface Message<T = unknown> {
  header: MessageHeader;
  router: MessageRouter;
  content: T;
}

export function newMessage<T>(router: MessageRouter, content: T, parentId?: string): Message<T> {
  const header: MessageHeader = { id: randomUUID(), timestamp: Date.now() };
  if (parentId !== undefined) header.parentId = parentId;
  return { header, router: { ...router }, content };
}

/**
 * The response to `request`: its parentId is the request's id, so a pending sendSync resolves
 * with it; it is routed back to the request's source.
 */
export function newResponse<T>(
  request: Message,
  source: string,
  content: T,
  operation = "response",
): Message<T> {
  return newMessage(
    { source, group: request.router.group, resource: request.router.resource, operation },
    content,
    request.header.id,
  );
}

/** True when the message answers a sync message. */
export function isResponse(message: Message): boolean {
  return message.header.parentId !== undefined && message.header.parentId !== "";
}
