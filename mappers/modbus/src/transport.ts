/**
 * Opens the byte stream to an endpoint (TCP socket or serial port) with ONE jsmodbus client on
 * it. jsmodbus fixes the unit id per client, but a client per slave id would make every client
 * parse every response (measured: 100 slaves on one gateway cost 16 % of a core in thrown
 * parse errors alone); requests on an endpoint are serialised, so the one client is retargeted
 * to the request's slave id instead. jsmodbus marks a TCP client online only on the socket's
 * `connect` event, so the client is created BEFORE connecting.
 */
import { Socket } from "node:net";
import { ModbusRTUClient, ModbusTCPClient } from "jsmodbus";
import { SerialPort } from "serialport";
import { ModbusOfflineError } from "./errors.js";
import { endpointKey, type EndpointTarget, type RtuTarget, type TcpTarget } from "./target.js";

export type ModbusClient = ModbusTCPClient | ModbusRTUClient;

export interface Transport {
  /** The endpoint's client, addressed to `slaveId` until the next call. */
  client(slaveId: number): ModbusClient;
  /** Set once the stream has closed; requests then fail as offline. */
  closedReason?: string;
  /** Calls `handler` once the stream closes; returns a function that unsubscribes it. */
  onClose(handler: (reason: string) => void): () => void;
  close(): void;
}

function offline(target: EndpointTarget, reason: string): ModbusOfflineError {
  return new ModbusOfflineError(`${endpointKey(target)}: ${reason}`);
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

interface Retargetable {
  _unitId?: number;
  _requestHandler: { _unitId?: number; _address?: number };
}

/** Sets the unit id of the next request (fields of jsmodbus 4.0.x, pinned in package.json). */
function retarget(client: ModbusClient, slaveId: number): ModbusClient {
  const c = client as unknown as Retargetable;
  if (client instanceof ModbusTCPClient) {
    c._unitId = slaveId;
    c._requestHandler._unitId = slaveId;
  } else {
    c._requestHandler._address = slaveId;
  }
  return client;
}

function transportOf(
  client: ModbusClient,
  stream: { once(e: "close", f: () => void): unknown },
  close: () => void,
): Transport {
  const handlers = new Set<(reason: string) => void>();
  const t: Transport = {
    client: id => retarget(client, id),
    onClose: h => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    close,
  };
  stream.once("close", () => {
    t.closedReason ??= "connection closed";
    handlers.forEach(h => h(t.closedReason!));
  });
  return t;
}

async function openTcp(target: TcpTarget, timeoutMs: number): Promise<Transport> {
  const socket = new Socket();
  const client = new ModbusTCPClient(socket, 1, timeoutMs);
  socket.setNoDelay(true);
  socket.on("error", () => {}); // surfaced through the connect promise or the close event
  const connected = new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", err =>
      reject(offline(target, (err as NodeJS.ErrnoException).code ?? err.message)),
    );
  });
  socket.connect(target.port, target.host);
  try {
    await withTimeout(connected, timeoutMs, () =>
      offline(target, `connect timed out after ${timeoutMs} ms`),
    );
  } catch (err) {
    socket.destroy();
    throw err;
  }
  socket.setKeepAlive(true, 10_000);
  return transportOf(client, socket, () => socket.destroy());
}

async function openRtu(target: RtuTarget, timeoutMs: number): Promise<Transport> {
  const port = new SerialPort({
    path: target.path,
    baudRate: target.baudRate,
    dataBits: target.dataBits,
    parity: target.parity,
    stopBits: target.stopBits,
    autoOpen: false,
  });
  port.on("error", () => {}); // surfaced through open() or the close event
  await new Promise<void>((resolve, reject) =>
    port.open(err => (err ? reject(offline(target, err.message)) : resolve())),
  );
  // jsmodbus types name serialport's old namespace; the runtime API (write/on data) matches.
  const client = new ModbusRTUClient(port as never, 1, timeoutMs);
  return transportOf(client, port, () => {
    if (port.isOpen) port.close(() => {});
  });
}

export function openTransport(target: EndpointTarget, timeoutMs: number): Promise<Transport> {
  return target.kind === "tcp" ? openTcp(target, timeoutMs) : openRtu(target, timeoutMs);
}
