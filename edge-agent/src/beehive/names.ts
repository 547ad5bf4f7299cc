/**
 * Module names, groups, operations and resources used on the bus. Defined once so no module
 * retypes a routing string another module listens for (KubeEdge scatters these; we do not).
 */

export enum ModuleName {
  EdgeHub = "edgehub",
  MetaManager = "metamanager",
  EventBus = "eventbus",
  DeviceTwin = "twin",
  Edged = "edged",
}

export enum Group {
  /** EdgeHub (KubeEdge's edgehub is in group "hub"). */
  Hub = "hub",
  Meta = "meta",
  Bus = "bus",
  Twin = "twin",
  Edged = "edged",
}

export enum Operation {
  Insert = "insert",
  Update = "update",
  Delete = "delete",
  Query = "query",
  Response = "response",
  Error = "error",
  /** EdgeHub → all groups: content is a `ConnectionState`. */
  Connection = "publish",
  /** A module's objects restored from SQLite at start (offline autonomy). */
  Restore = "restore",
}

/** `router.resource` of edged's report of the container runtime to edgehub (Node status). */
export const NODE_RUNTIME_RESOURCE = "node/runtime";

/** `router.resource` of the connection broadcast. */
export const CONNECTION_RESOURCE = "node/connection";

export enum ConnectionState {
  Connected = "cloud_connected",
  Disconnected = "cloud_disconnected",
}

/** Groups told when the cloud connects or drops (edgehub's "publish client info"). */
export const CONNECTION_GROUPS: readonly string[] = [
  Group.Meta,
  Group.Twin,
  Group.Bus,
  Group.Edged,
];
