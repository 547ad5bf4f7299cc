/**
 * The desired value the cloud last gave for each declared twin. With it, a profile that
 * arrives again with the same desired value (an agent restart, another device of the node
 * changed) is told apart from the cloud changing its mind: only the latter overrides a desired
 * value an application set at the edge.
 */
import type { Database } from "../store/database.js";

export class CloudDesired {
  constructor(private readonly db: Database) {}

  /** Name → value for one device; empty when nothing was recorded yet. */
  get(deviceId: string): Record<string, string> {
    const rows = this.db
      .prepare("SELECT name, value FROM twin_cloud_desired WHERE deviceid = ?")
      .all(deviceId) as { name: string; value: string }[];
    const out = Object.create(null) as Record<string, string>;
    for (const r of rows) out[r.name] = r.value;
    return out;
  }

  /** Replaces what is recorded for one device. */
  set(deviceId: string, values: Record<string, string>): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM twin_cloud_desired WHERE deviceid = ?").run(deviceId);
      const insert = this.db.prepare(
        "INSERT INTO twin_cloud_desired (deviceid, name, value) VALUES (?, ?, ?)",
      );
      for (const [name, value] of Object.entries(values)) insert.run(deviceId, name, value);
    })();
  }
}
