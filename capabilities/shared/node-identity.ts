/** Which edge node, if any, sent an admission request (its client certificate's identity). */
import { NODES_GROUP } from "@kubeedge-ts/contract";

const NODE_USER_PREFIX = "system:node:";

export interface UserInfo {
  username?: string;
  groups?: string[];
}

/** The node name for a request from `system:node:<name>` in group `system:nodes`. */
export function requestingNode(user: UserInfo | undefined): string | undefined {
  const name = user?.username ?? "";
  if (!name.startsWith(NODE_USER_PREFIX) || !(user?.groups ?? []).includes(NODES_GROUP)) {
    return undefined;
  }
  return name.slice(NODE_USER_PREFIX.length) || undefined;
}
