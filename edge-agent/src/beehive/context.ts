import { Mailbox } from "./mailbox.js";
import { isResponse, type Message } from "./message.js";

/** How long sendSync waits by default (KubeEdge waits one heartbeat period). */
export const DEFAULT_SYNC_TIMEOUT_MS = 15_000;

export class UnknownModuleError extends Error {
  constructor(target: string, kind: "module" | "group") {
    super(`no ${kind} named "${target}" is registered on the bus`);
    this.name = "UnknownModuleError";
  }
}

export class SyncTimeoutError extends Error {
  constructor(target: string, id: string, timeoutMs: number) {
    super(`no response from "${target}" to message ${id} within ${timeoutMs} ms`);
    this.name = "SyncTimeoutError";
  }
}

interface PendingSync {
  resolve: (message: Message) => void;
  timer: NodeJS.Timeout;
}

/**
 * The module bus with beehive's semantics: modules own a mailbox, belong to groups, and talk by
 * name (send), by group (sendToGroup), or request/response (sendSync + sendResponse matched by
 * the response's parentId). Delivery is asynchronous and in order per receiver.
 */
export class Beehive {
  private readonly modules = new Map<string, Mailbox<Message>>();
  private readonly groups = new Map<string, Set<string>>();
  private readonly pending = new Map<string, PendingSync>();

  addModule(name: string): void {
    if (this.modules.has(name)) throw new Error(`module "${name}" is already on the bus`);
    this.modules.set(name, new Mailbox<Message>());
  }

  addModuleGroup(name: string, group: string): void {
    if (!this.modules.has(name)) throw new UnknownModuleError(name, "module");
    let members = this.groups.get(group);
    if (!members) this.groups.set(group, (members = new Set()));
    members.add(name);
  }

  hasModule(name: string): boolean {
    return this.modules.has(name);
  }

  /** Module names in `group` (empty when the group is unknown). */
  groupMembers(group: string): string[] {
    return [...(this.groups.get(group) ?? [])];
  }

  /** Messages waiting in a module's mailbox (0 for an unknown module). */
  depth(name: string): number {
    return this.modules.get(name)?.size ?? 0;
  }

  /** Removes the module from the bus and all groups; its pending receive resolves undefined. */
  cleanup(name: string): void {
    const mailbox = this.modules.get(name);
    if (!mailbox) return;
    this.modules.delete(name);
    for (const [group, members] of this.groups) {
      members.delete(name);
      if (members.size === 0) this.groups.delete(group);
    }
    mailbox.close();
  }

  /** Removes every module and fails every pending sendSync. */
  cleanupAll(): void {
    for (const name of [...this.modules.keys()]) this.cleanup(name);
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      this.pending.delete(id);
    }
  }

  /** Delivers to one module. A response (parentId set) also settles the matching sendSync. */
  send(target: string, message: Message): void {
    if (isResponse(message) && this.settle(message)) return;
    const mailbox = this.modules.get(target);
    if (!mailbox) throw new UnknownModuleError(target, "module");
    mailbox.put(message);
  }

  /** Delivers a copy of the message (same id) to every module of the group. */
  sendToGroup(group: string, message: Message): void {
    const members = this.groups.get(group);
    if (!members || members.size === 0) throw new UnknownModuleError(group, "group");
    const routed = { ...message, router: { ...message.router, group } };
    for (const name of members) this.modules.get(name)?.put(routed);
  }

  /** Like sendToGroup, but a group nobody joined is not an error (broadcasts to optional modules). */
  broadcast(group: string, message: Message): void {
    if (this.groups.get(group)?.size) this.sendToGroup(group, message);
  }

  /** Sends and waits for the response whose parentId is this message's id. */
  sendSync(
    target: string,
    message: Message,
    timeoutMs = DEFAULT_SYNC_TIMEOUT_MS,
  ): Promise<Message> {
    return this.waitFor(target, message, timeoutMs, () => this.send(target, message));
  }

  /** Sends to every module in the group and resolves with the first response. */
  sendToGroupSync(
    group: string,
    message: Message,
    timeoutMs = DEFAULT_SYNC_TIMEOUT_MS,
  ): Promise<Message> {
    return this.waitFor(group, message, timeoutMs, () => this.sendToGroup(group, message));
  }

  /**
   * Delivers a response to whoever waits for it. Returns false when nobody waits any more (the
   * sender timed out): late responses are dropped, as beehive drops them.
   */
  sendResponse(response: Message): boolean {
    return this.settle(response);
  }

  /** The next message for `name`, or undefined once the module was cleaned up. */
  receive(name: string): Promise<Message | undefined> {
    const mailbox = this.modules.get(name);
    if (!mailbox) return Promise.reject(new UnknownModuleError(name, "module"));
    return mailbox.take();
  }

  /** Iterates a module's messages until it is cleaned up. */
  async *messages(name: string): AsyncGenerator<Message, void, undefined> {
    for (;;) {
      const message = await this.receive(name);
      if (message === undefined) return;
      yield message;
    }
  }

  private waitFor(
    target: string,
    message: Message,
    timeoutMs: number,
    deliver: () => void,
  ): Promise<Message> {
    message.header.sync = true;
    const id = message.header.id;
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SyncTimeoutError(target, id, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      try {
        deliver();
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  private settle(response: Message): boolean {
    const parentId = response.header.parentId;
    if (parentId === undefined) return false;
    const waiter = this.pending.get(parentId);
    if (!waiter) return false;
    clearTimeout(waiter.timer);
    this.pending.delete(parentId);
    waiter.resolve(response);
    return true;
  }
}
