/**
 * noble reports UUIDs lowercase without dashes and 16-bit SIG UUIDs in their short form; the
 * profile may carry any spelling. Both sides are normalised before they are compared.
 */

const SIG_BASE = /^0000([0-9a-f]{4})00001000800000805f9b34fb$/;

export function normalizeUuid(uuid: string): string {
  const compact = uuid.trim().toLowerCase().replace(/-/g, "");
  const sig = SIG_BASE.exec(compact);
  return sig ? sig[1] : compact;
}

export function isValidUuid(uuid: string): boolean {
  return /^([0-9a-f]{4}|[0-9a-f]{8}|[0-9a-f]{32})$/.test(normalizeUuid(uuid));
}

/** MAC addresses compare without separators or case: `AA:BB:..`, `aa-bb-..`, `aabb..`. */
export function normalizeMac(mac: string): string {
  return mac.trim().toLowerCase().replace(/[:-]/g, "");
}

export function isValidMac(mac: string): boolean {
  return /^[0-9a-f]{12}$/.test(normalizeMac(mac));
}
