/**
 * noble's websocket bindings (`NOBLE_WEBSOCKET`) relay GATT over a websocket to a machine that
 * has the radio (noble's ws-slave). noble hard-codes `ws://localhost:2846`; this builds the same
 * bindings object — noble's own message handling and commands — against any URL.
 */
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import WebSocket from "ws";

const require = createRequire(import.meta.url);

/** noble's default relay address, used when `NOBLE_WEBSOCKET` is set but is not a URL. */
export const NOBLE_DEFAULT_WEBSOCKET = "ws://localhost:2846";

type Bindings = EventEmitter & Record<string, unknown>;

export function websocketBindings(url: string, onClose: () => void): Bindings {
  const Ctor = require("@abandonware/noble/lib/websocket/bindings.js") as {
    prototype: object;
  };
  // noble's constructor would dial its fixed port; run the same setup against `url` instead.
  const bindings = Object.create(Ctor.prototype) as Bindings;
  EventEmitter.call(bindings);
  const ws = new WebSocket(url);
  Object.assign(bindings, { _ws: ws, _startScanCommand: null, _peripherals: {} });
  const onMessage = bindings._onMessage as (event: unknown) => void;
  bindings.on("message", onMessage.bind(bindings));
  ws.on("message", data => {
    let event: { type?: string; state?: string };
    try {
      event = JSON.parse(String(data)) as typeof event;
    } catch {
      return; // A relay that sends non-JSON is ignored like any other radio noise.
    }
    // noble's handler console.logs adapter states; ours keep the log stream structured.
    if (event.type === "stateChange") bindings.emit("stateChange", event.state);
    else bindings.emit("message", event);
  });
  ws.on("open", () => undefined);
  const closed = (): void => {
    bindings.emit("stateChange", "poweredOff");
    onClose();
  };
  ws.on("close", closed);
  ws.on("error", () => undefined);
  return bindings;
}
