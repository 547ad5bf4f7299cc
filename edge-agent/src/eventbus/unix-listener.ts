/**
 * The embedded broker's optional unix socket (`modules.eventBus.mqttUnixSocket`): mappers on
 * the node reach it through a file whose mode (0660) and group decide who may even try to log
 * in, instead of a TCP port every local process can connect to. Logins, ACLs and limits are
 * the same as on TCP.
 */
import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";

export const UNIX_SOCKET_MODE = 0o660;

/** Listens on `path`, replacing a socket left by an earlier run (never any other file). */
export async function listenUnix(path: string, handle: (socket: Socket) => void): Promise<Server> {
  removeStaleSocket(path);
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", error =>
      reject(new Error(`embedded MQTT broker cannot listen on ${path}`, { cause: error })),
    );
    server.listen(path, () => resolve());
  });
  // Created with the umask's mode (no write for others, so nobody else could connect yet).
  chmodSync(path, UNIX_SOCKET_MODE);
  return server;
}

export async function closeUnix(server: Server, path: string): Promise<void> {
  await new Promise<void>(resolve => server.close(() => resolve()));
  removeStaleSocket(path);
}

function removeStaleSocket(path: string): void {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new Error(`${path} exists and is not a socket; not replacing it`);
  unlinkSync(path);
}
