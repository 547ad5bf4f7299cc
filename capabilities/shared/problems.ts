/**
 * A problem found in an object under admission: the field path, the offending value and why.
 * Every rule returns a list of these; the handler joins them into the denial message, so a user
 * sees each bad field with its value in one round trip.
 */
export interface Problem {
  /** kubectl-style field path, e.g. `spec.propertyVisitors[0].modbus.offset`. */
  path: string;
  /** The offending value; omitted when the field is missing. */
  value?: unknown;
  reason: string;
}

export function problem(path: string, reason: string, value?: unknown): Problem {
  return value === undefined ? { path, reason } : { path, reason, value };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblem(p: Problem): string {
  return p.value === undefined
    ? `${p.path}: ${p.reason}`
    : `${p.path}: ${show(p.value)} ${p.reason}`;
}

/** The denial message for a kind/name, or undefined when there is nothing to deny. */
export function denialMessage(what: string, problems: Problem[]): string | undefined {
  if (problems.length === 0) return undefined;
  return `${what} is invalid: ${problems.map(formatProblem).join("; ")}`;
}
