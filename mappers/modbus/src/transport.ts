/**
 * Opens the byte stream to an endpoint (TCP socket or serial port) and creates one jsmodbus
 * client per slave id on it. jsmodbus marks a TCP client online only on the socket's
 * `connect` event, so clients are created BEFORE connecting, for every slave id known then.
 */
import { Socket } from "node:net";
import { ModbusRTUClient, ModbusTCPClient } from "jsmodbus";
import { SerialPort } from "serialport";
import { ModbusOfflineError } from "./errors.js";
import { endpointKey, type EndpointTarget, type RtuTarget, type TcpTarget } from "./target.js";

export type ModbusClient = ModbusTCPClient | ModbusRTUClient;

export interface Transport {
  client(slaveId: number): ModbusClient | undefined;
  /** Set once the stream has closed; requests then fail as offline. */
  closedReason?: string;
  onClose(handler: (reason: string) => void): void;
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

function transportOf(
  clients: Map<number, ModbusClient>,
  stream: { once(e: "close", f: () => void): unknown },
  close: () => void,
): Transport {
  const handlers: ((reason: string) => void)[] = [];
  const t: Transport = {
    client: id => clients.get(id),
    onClose: h => void handlers.push(h),
    close,
  };
  stream.once("close", () => {
    t.closedReason ??= "connection closed";
    handlers.forEach(h => h(t.closedReason!));
  });
  return t;
}

async function openTcp(
  target: TcpTarget,
  slaveIds: number[],
  timeoutMs: number,
): Promise<Transport> {
  const socket = new Socket();
  const clients = new Map(
    slaveIds.map(id => [id, new ModbusTCPClient(socket, id, timeoutMs)] as const),
  );
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
  return transportOf(clients, socket, () => socket.destroy());
}

async function openRtu(
  target: RtuTarget,
  slaveIds: number[],
  timeoutMs: number,
): Promise<Transport> {
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
  const clients = new Map(
    slaveIds.map(id => [id, new ModbusRTUClient(port as never, id, timeoutMs)] as const),
  );
  return transportOf(clients, port, () => {
    if (port.isOpen) port.close(() => {});
  });
}

export function openTransport(
  target: EndpointTarget,
  slaveIds: number[],
  timeoutMs: number,
): Promise<Transport> {
  return target.kind === "tcp"
    ? openTcp(target, slaveIds, timeoutMs)
    : openRtu(target, slaveIds, timeoutMs);
}
