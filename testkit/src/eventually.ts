/** Polling with a deadline: the one helper for tests, benchmarks, the CLI and the local tooling. */
/**
 * Polls `check` until it returns a value other than undefined/false, or fails at the deadline
 * with the last error as cause and `hint()` (e.g. which log to read) in the message.
 */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
  hint?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const more = hint ? `. ${hint()}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${more}`, {
        cause: lastError,
      });
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
