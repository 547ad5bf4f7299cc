/**
 * The node's member devices as the broker's ACL sees them, read from DeviceTwin's `device`
 * table at each check: the ACL follows profile changes without being told.
 */
import type { Database } from "../store/database.js";
import type { AclContext, MemberDevice } from "./acl.js";

export function memberLookup(db: Database, nodeName: string): AclContext {
  let stmt: { get(...params: unknown[]): unknown } | undefined;
  return {
    nodeName,
    member(deviceId: string): MemberDevice | undefined {
      // Prepared on first use: the table exists once DeviceTwin's migrations ran.
      try {
        stmt ??= db.prepare(
          `SELECT id, CASE wire_id WHEN '' THEN name ELSE wire_id END AS wireId FROM device
           WHERE wire_id = ? OR id = ? OR (wire_id = '' AND name = ?) LIMIT 1`,
        );
      } catch {
        return undefined; // DeviceTwin disabled: no device is a member
      }
      return stmt.get(deviceId, deviceId, deviceId) as MemberDevice | undefined;
    },
  };
}
