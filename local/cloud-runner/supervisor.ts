/**
 * Keeps a child process running the way a Deployment keeps the module's pod running: whatever
 * ends it (a crash, an OOM kill, Pepr giving up on its watches), it is started again after a
 * back-off that doubles with each quick failure and resets once a run has lasted a while
 * (kubelet's CrashLoopBackOff, with delays for a developer's machine). Only stop() ends it.
 */

export interface SupervisedChild {
  pid: number | undefined;
  /** Resolves with the exit code (null after a signal) when the process ends. */
  exited: Promise<number | null>;
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long counts as healthy: the next failure starts from initialMs again. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 1000,
  maxMs: 30_000,
  resetAfterMs: 60_000,
};

/** The wait before restart number `failures` (1 = the first) of a crash loop. */
export function restartDelay(failures: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(p.maxMs, p.initialMs * 2 ** Math.max(0, failures - 1));
}

export interface SupervisorOptions<C extends SupervisedChild> {
  spawn(): C;
  /** False: the first exit is the end (finished resolves with its code). Default true. */
  restart?: boolean;
  backoff?: BackoffPolicy;
  /** Told before each restart, e.g. to log it. */
  onRestart?(info: { code: number | null; restarts: number; delayMs: number }): void;
}

export class Supervisor<C extends SupervisedChild> {
  private child: C;
  private failures = 0;
  private restartCount = 0;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private resolveFinished!: (code: number | null) => void;
  /** Resolves with the last exit code once stop() has ended the process for good. */
  readonly finished = new Promise<number | null>(r => (this.resolveFinished = r));

  constructor(private readonly opts: SupervisorOptions<C>) {
    this.child = this.launch();
  }

  /** The process running now (a new one after each restart). */
  get current(): C {
    return this.child;
  }

  get restarts(): number {
    return this.restartCount;
  }

  private launch(): C {
    const child = this.opts.spawn();
    const startedAt = Date.now();
    void child.exited.then(code => this.onExit(code, Date.now() - startedAt));
    return child;
  }

  private onExit(code: number | null, ranMs: number): void {
    if (this.stopping || this.opts.restart === false) return this.resolveFinished(code);
    const policy = this.opts.backoff ?? DEFAULT_BACKOFF;
    this.failures = ranMs >= policy.resetAfterMs ? 1 : this.failures + 1;
    const delayMs = restartDelay(this.failures, policy);
    this.restartCount++;
    this.opts.onRestart?.({ code, restarts: this.restartCount, delayMs });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopping) this.child = this.launch();
    }, delayMs);
  }

  /**
   * No more restarts; `kill` ends the process running now (if any) and stop() resolves once it
   * has exited.
   */
  async stop(kill: (child: C) => Promise<void>): Promise<void> {
    this.stopping = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.resolveFinished(null);
    }
    await kill(this.child);
    await this.finished;
  }
}
