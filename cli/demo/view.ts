/**
 * The demo's live view as text: devices with their twins, the edge node's pods and the agent's
 * cloud link. Pure: `snapshot.ts` gathers a Snapshot, `live.ts` redraws it (or prints it line by
 * line when stdout is not a terminal).
 */

export interface TwinRow {
  property: string;
  reported?: string;
  desired?: string;
  /** When the reported value was last written, in ms since the epoch. */
  reportedAt?: number;
}

export interface DeviceRow {
  name: string;
  state?: string;
  twins: TwinRow[];
}

export interface PodRow {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
}

export interface AgentRow {
  /** undefined: the agent's /metrics did not answer. */
  cloudConnected?: boolean;
  outboxDepth?: number;
  podsRunning?: number;
}

export interface Snapshot {
  at: number;
  node: string;
  devices: DeviceRow[];
  pods: PodRow[];
  agent: AgentRow;
  /** The apiserver did not answer: devices and pods are as last seen. */
  apiserverDown: boolean;
}

export function age(from: number | undefined, now: number): string {
  if (from === undefined) return "-";
  const s = Math.max(0, Math.round((now - from) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${Math.floor(s / 3600)}h`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function deviceLines(s: Snapshot): string[] {
  const rows = s.devices.flatMap(d =>
    (d.twins.length ? d.twins : [{ property: "-" } as TwinRow]).map((t, i) => [
      i === 0 ? d.name : "",
      i === 0 ? (d.state ?? "-") : "",
      t.property,
      t.reported ?? "-",
      t.desired ?? "-",
      age(t.reportedAt, s.at),
    ]),
  );
  return table(["DEVICE", "STATE", "PROPERTY", "REPORTED", "DESIRED", "UPDATED"], rows);
}

function podLines(s: Snapshot): string[] {
  const rows = s.pods.map(p => [p.name, p.phase, p.ready ? "yes" : "no", String(p.restarts)]);
  return table([`POD ON ${s.node}`, "STATUS", "READY", "RESTARTS"], rows);
}

export function linkLine(s: Snapshot): string {
  const a = s.agent;
  const link =
    a.cloudConnected === undefined
      ? "agent not answering"
      : a.cloudConnected
        ? "connected"
        : "OFFLINE";
  const outbox = a.outboxDepth === undefined ? "-" : String(a.outboxDepth);
  const stale = s.apiserverDown ? "  (apiserver unreachable: devices and pods as last seen)" : "";
  return `cloud link: ${link}  outbox: ${outbox}${stale}`;
}

/** The whole view, one string per line. */
export function render(s: Snapshot): string[] {
  return [
    `kubeedge-ts demo, node ${s.node}  ${new Date(s.at).toISOString()}`,
    linkLine(s),
    "",
    ...deviceLines(s),
    "",
    ...podLines(s),
  ];
}

/** One line for logs and pipes: every reported value and the pod states, compactly. */
export function plainLine(s: Snapshot): string {
  const twins = s.devices.flatMap(d =>
    d.twins
      .filter(t => t.reported !== undefined || t.desired !== undefined)
      .map(
        t =>
          `${d.name}.${t.property}=${t.reported ?? "-"}${t.desired ? `(desired ${t.desired})` : ""}`,
      ),
  );
  const pods = s.pods.map(p => `${p.name}:${p.phase}${p.ready ? "" : "/unready"}:${p.restarts}`);
  return `${linkLine(s)} | ${twins.join(" ") || "no reported values yet"} | pods ${pods.join(" ") || "none"}`;
}
