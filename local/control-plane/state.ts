/** The state file of one local control plane: what runs, where, and how to restart it. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Component } from "./layout.js";
import { layout } from "./layout.js";
import type { CommandSpec } from "./processes.js";

export interface Ports {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  scheduler: number;
}

/** A cloud worker node beside the control plane (local/worker): what others need to use it. */
export interface WorkerState {
  /** The Node's name (`<cluster>-worker`): an ordinary node, not an edge node. */
  nodeName: string;
  /** The machine address the kubelet registers and the apiserver advertises. */
  address: string;
  /** The worker's own containerd: CRI endpoint (unix://…) and socket path (for ctr). */
  containerdEndpoint: string;
  containerdSocket: string;
  /** Pods of the worker get addresses from this subnet, behind this bridge. */
  podSubnet: string;
  bridge: string;
  /** The CNI network's name, which tags its iptables rules. */
  podNetwork: string;
  /** The host as it was before the worker, to put back on teardown. */
  hostBefore: {
    /** The sysctls the kubelet sets at start. */
    sysctls: Record<string, string>;
    /** Host folders the kubelet creates outside its root folder that did not exist before. */
    absentPaths: string[];
  };
}

export interface ControlPlaneState {
  dir: string;
  binDir: string;
  server: string;
  ports: Ports;
  commands: Record<Component, CommandSpec>;
  startedAt: string;
  readyMs: number;
  identities: string[];
  /** Set while a worker node runs (`cluster up --with-worker`). */
  worker?: WorkerState;
  /** Set by e2e/kind/up.sh: the apiserver lives in this Docker container (paused to go offline). */
  dockerContainer?: string;
}

export function readState(dir: string): ControlPlaneState | undefined {
  const file = layout(resolve(dir)).state;
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as ControlPlaneState)
    : undefined;
}

export function writeState(state: ControlPlaneState): void {
  writeFileSync(layout(state.dir).state, JSON.stringify(state, null, 2));
}

export function mustState(dir: string): ControlPlaneState {
  const state = readState(dir);
  if (!state) throw new Error(`no control plane state in ${resolve(dir)}; run 'cluster up' first`);
  return state;
}
