/**
 * An unbounded FIFO of messages with awaiting readers: the TypeScript counterpart of a module's
 * Go channel in beehive. `take()` resolves with the next item, or `undefined` once closed and
 * drained, so a module's receive loop ends by itself on clean-up.
 */
export class Mailbox<T> {
  private readonly items: T[] = [];
  private head = 0;
  private readonly readers: ((item: T | undefined) => void)[] = [];
  private closed = false;

  get size(): number {
    return this.items.length - this.head;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Returns false when the mailbox is closed (the item is dropped). */
  put(item: T): boolean {
    if (this.closed) return false;
    const reader = this.readers.shift();
    if (reader) reader(item);
    else this.items.push(item);
    return true;
  }

  take(): Promise<T | undefined> {
    if (this.size > 0) return Promise.resolve(this.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise(resolve => this.readers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const reader of this.readers.splice(0)) reader(undefined);
  }

  private shift(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head++;
    // Compact now and then so a long-lived mailbox does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }
}
