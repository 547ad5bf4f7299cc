/**
 * The CRI container log format (what containerd writes to a container's log_path), one line
 * per write: `<RFC 3339 nano timestamp> <stdout|stderr> <P|F> <content>`, P marking a partial
 * line that the next entry continues.
 */
export interface CriLogLine {
  timestamp: string;
  stream: "stdout" | "stderr";
  partial: boolean;
  content: string;
}

export function parseCriLogLine(line: string): CriLogLine | undefined {
  const m = /^(\S+) (stdout|stderr) ([PF]) ?(.*)$/.exec(line);
  if (!m) return undefined;
  return {
    timestamp: m[1]!,
    stream: m[2] as CriLogLine["stream"],
    partial: m[3] === "P",
    content: m[4]!,
  };
}

export interface LogOptions {
  timestamps: boolean;
  /** Only the last N full lines; undefined = all. */
  tailLines?: number;
}

/**
 * Turns raw CRI log text into what `kubectl logs` prints: partial entries joined, each full
 * line ending in a newline, optionally prefixed with its timestamp (kubelet's format).
 * Returns the output and the unfinished partial text left at the end (for following).
 */
export function renderCriLog(
  text: string,
  opts: LogOptions,
  pending = "",
): { lines: string[]; pending: string; pendingTimestamp?: string } {
  const lines: string[] = [];
  let partial = pending;
  let firstTimestamp: string | undefined;
  for (const raw of text.split("\n")) {
    const entry = parseCriLogLine(raw);
    if (!entry) continue;
    if (entry.partial) {
      firstTimestamp ??= entry.timestamp;
      partial += entry.content;
      continue;
    }
    const content = partial + entry.content;
    const ts = firstTimestamp ?? entry.timestamp;
    lines.push(opts.timestamps ? `${ts} ${content}\n` : `${content}\n`);
    partial = "";
    firstTimestamp = undefined;
  }
  const tailed =
    opts.tailLines === undefined ? lines : lines.slice(Math.max(0, lines.length - opts.tailLines));
  return {
    lines: tailed,
    pending: partial,
    ...(firstTimestamp ? { pendingTimestamp: firstTimestamp } : {}),
  };
}
