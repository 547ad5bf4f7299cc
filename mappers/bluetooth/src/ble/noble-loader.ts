/**
 * Loads noble only when the mapper starts talking to devices. noble's default entry opens an
 * HCI socket while it is being imported and throws on hosts without Bluetooth support
 * (EAFNOSUPPORT: no AF_BLUETOOTH), so it is never imported at module load; instead the bindings
 * are built here and the failure is turned into a message that says what to do.
 */
import { createRequire } from "node:module";
import type { Noble } from "./noble-types.js";
import { NOBLE_DEFAULT_WEBSOCKET, websocketBindings } from "./ws-bindings.js";

const require = createRequire(import.meta.url);

export interface NobleSource {
  /** `ws://...` relay speaking noble's websocket protocol; otherwise the local HCI adapter. */
  websocketUrl?: string;
  onRelayClosed?: () => void;
}

export class NoBluetoothAdapterError extends Error {}

/** `NOBLE_WEBSOCKET` as noble reads it: any value enables the relay, a URL also picks it. */
export function nobleSourceFromEnv(env: NodeJS.ProcessEnv = process.env): NobleSource {
  const ws = env.NOBLE_WEBSOCKET;
  if (!ws) return {};
  return { websocketUrl: /^wss?:\/\//.test(ws) ? ws : NOBLE_DEFAULT_WEBSOCKET };
}

function explain(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "EAFNOSUPPORT") {
    return "this host has no Bluetooth support (socket family AF_BLUETOOTH is unavailable)";
  }
  if (code === "EPERM" || code === "EACCES") {
    return "no permission to open the HCI socket (the container needs NET_ADMIN and NET_RAW, or privileged)";
  }
  if (code === "MODULE_NOT_FOUND") {
    return "noble's HCI bindings (@abandonware/bluetooth-hci-socket) are not installed";
  }
  return (err as Error)?.message ?? String(err);
}

export function loadNoble(source: NobleSource = {}): Noble {
  const withBindings = require("@abandonware/noble/with-bindings.js") as (b: unknown) => Noble;
  if (source.websocketUrl) {
    return withBindings(websocketBindings(source.websocketUrl, source.onRelayClosed ?? (() => {})));
  }
  let bindings: unknown;
  try {
    const resolve = require("@abandonware/noble/lib/resolve-bindings.js") as () => unknown;
    bindings = resolve();
  } catch (err) {
    throw new NoBluetoothAdapterError(
      `no Bluetooth adapter: ${explain(err)}. Run the mapper on a node with a BLE adapter ` +
        `(label it bluetooth=true, host network, /var/run/dbus mounted) or point NOBLE_WEBSOCKET ` +
        `at a noble websocket relay`,
      { cause: err },
    );
  }
  return withBindings(bindings);
}

/** Adapter states after which waiting is pointless. */
const FATAL_STATES = new Set(["unsupported", "unauthorized"]);

/**
 * Resolves true once the adapter is powered on, false if it is not after `timeoutMs` (it may be
 * switched on later); rejects when it never can be (no adapter, no permission).
 */
export function waitPoweredOn(noble: Noble, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const check = (state: string): void => {
      if (state === "poweredOn") finish(() => resolve(true));
      else if (FATAL_STATES.has(state)) {
        const err = new NoBluetoothAdapterError(`no Bluetooth adapter: the adapter is ${state}`);
        finish(() => reject(err));
      }
    };
    const timer = setTimeout(() => finish(() => resolve(false)), timeoutMs);
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      noble.removeListener("stateChange", check);
      settle();
    };
    noble.on("stateChange", check);
    check(noble.state);
  });
}
