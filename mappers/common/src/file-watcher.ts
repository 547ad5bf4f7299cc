/**
 * Watches one file for content changes. A Kubernetes ConfigMap volume updates by creating a new
 * timestamped directory and atomically renaming the `..data` symlink, so the watched path's
 * inode never changes in place: we watch the DIRECTORY (any entry event) and compare the
 * followed file's identity, with a slow poll as a safety net for filesystems without inotify.
 */
import { watch, type FSWatcher } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";

export interface FileWatcherOptions {
  debounceMs?: number;
  pollMs?: number;
  onError?: (err: Error) => void;
}

export interface FileWatcher {
  /** Re-checks the file now; resolves once any change has been delivered. */
  check(): Promise<void>;
  close(): void;
}

/** The file's identity; undefined when it cannot be seen (missing, or not readable to us). */
async function identity(path: string): Promise<{ id?: string; code?: string }> {
  try {
    const s = await stat(path);
    return { id: `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}` };
  } catch (err) {
    return { code: (err as NodeJS.ErrnoException).code ?? "unknown" };
  }
}

/** Calls `onText` with the file's text at start (if it exists) and whenever it changes. */
export function watchFile(
  path: string,
  onText: (text: string) => void,
  opts: FileWatcherOptions = {},
): FileWatcher {
  const debounceMs = opts.debounceMs ?? 100;
  let lastId: string | undefined;
  let lastText: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  let lastProblem: string | undefined;
  const readIfChanged = async (): Promise<void> => {
    const { id, code } = await identity(path);
    // A missing file is normal until the profile arrives; anything else (EACCES: a volume the
    // mapper's user may not read) is reported, once per kind of problem.
    if (code !== undefined && code !== "ENOENT" && code !== lastProblem && !closed) {
      opts.onError?.(new Error(`cannot stat ${path}: ${code}`));
    }
    lastProblem = code;
    if (closed || id === undefined || id === lastId) return;
    try {
      const text = await readFile(path, "utf8");
      lastId = id;
      if (text === lastText) return;
      lastText = text;
      onText(text);
    } catch (err) {
      opts.onError?.(new Error(`reading ${path} failed`, { cause: err }));
    }
  };
  // Serialise checks so two events never deliver the same change twice.
  const check = (): Promise<void> => (running = running.then(readIfChanged, readIfChanged));
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
  };

  let dirWatcher: FSWatcher | undefined;
  try {
    dirWatcher = watch(dirname(path), { persistent: false }, (_event, name) => {
      // ConfigMap swaps touch `..data` and `..<timestamp>` entries, not the file's own name.
      if (name === null || name === basename(path) || name.startsWith("..")) schedule();
    });
    dirWatcher.on("error", err => opts.onError?.(err));
  } catch (err) {
    opts.onError?.(new Error(`cannot watch ${dirname(path)}; polling only`, { cause: err }));
  }
  const poll = setInterval(() => void check(), opts.pollMs ?? 5000);
  poll.unref();
  void check();

  return {
    check,
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      clearInterval(poll);
      dirWatcher?.close();
    },
  };
}
