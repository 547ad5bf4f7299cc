import type { Migration } from "../store/database.js";

/**
 * DeviceTwin's tables, column names as KubeEdge's dtclient has them (seeds' manual 26.4), keyed
 * by the `namespace/name` device id. Attributes and twins go with their device (cascade).
 */
export const DEVICETWIN_MIGRATIONS: readonly Migration[] = [
  {
    id: "devicetwin/001-device",
    up: `CREATE TABLE device (
           id TEXT PRIMARY KEY,
           name TEXT NOT NULL,
           namespace TEXT NOT NULL DEFAULT '',
           description TEXT NOT NULL DEFAULT '',
           state TEXT NOT NULL DEFAULT '',
           last_online TEXT NOT NULL DEFAULT '',
           model TEXT NOT NULL DEFAULT ''
         );
         CREATE INDEX device_name ON device (name);
         CREATE TABLE device_attr (
           id INTEGER PRIMARY KEY AUTOINCREMENT,
           deviceid TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
           name TEXT NOT NULL,
           description TEXT NOT NULL DEFAULT '',
           value TEXT NOT NULL DEFAULT '',
           optional INTEGER NOT NULL DEFAULT 1,
           attr_type TEXT NOT NULL DEFAULT 'string',
           metadata TEXT NOT NULL DEFAULT '',
           UNIQUE (deviceid, name)
         );
         CREATE TABLE device_twin (
           id INTEGER PRIMARY KEY AUTOINCREMENT,
           deviceid TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
           name TEXT NOT NULL,
           description TEXT NOT NULL DEFAULT '',
           expected TEXT,
           actual TEXT,
           expected_meta TEXT,
           actual_meta TEXT,
           expected_version TEXT,
           actual_version TEXT,
           optional INTEGER NOT NULL DEFAULT 1,
           attr_type TEXT NOT NULL DEFAULT 'string',
           metadata TEXT NOT NULL DEFAULT '',
           UNIQUE (deviceid, name)
         );`,
  },
  {
    // The id the device goes by on the MQTT wire (the profile's id: its bare name for v1alpha2
    // Devices); '' in rows from before it existed reads as the name.
    id: "devicetwin/002-wire-id",
    up: "ALTER TABLE device ADD COLUMN wire_id TEXT NOT NULL DEFAULT ''",
  },
  {
    // The desired value the cloud last gave per twin: an edge-set desired value holds until the
    // cloud's changes (docs/security.md), also across restarts.
    id: "devicetwin/003-cloud-desired",
    up: `CREATE TABLE twin_cloud_desired (
           deviceid TEXT NOT NULL REFERENCES device (id) ON DELETE CASCADE,
           name TEXT NOT NULL,
           value TEXT NOT NULL,
           PRIMARY KEY (deviceid, name)
         )`,
  },
];
