/**
 * File modes of the agent's state. The database caches Secrets and the node's reports, so
 * nobody but the agent's user may read it: the data directory is 0700, the SQLite file and
 * its -wal/-shm companions 0600. Modes are tightened at every start, so a directory created
 * by an older version (or by hand) with looser modes is fixed, not trusted.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";

export const DATA_DIR_MODE = 0o700;
export const DATABASE_FILE_MODE = 0o600;

/** The files SQLite keeps for one database in WAL mode. */
export function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/** Creates the directory (and missing parents) 0700, and tightens it if it exists. */
export function secureDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  chmodSync(dir, DATA_DIR_MODE);
}

/**
 * Creates the database file 0600 before SQLite opens it (SQLite gives -wal and -shm the main
 * file's mode), and tightens whichever of the three files already exist.
 */
export function secureDatabaseFiles(file: string): void {
  closeSync(openSync(file, "a", DATABASE_FILE_MODE));
  for (const f of databaseFiles(file)) if (existsSync(f)) chmodSync(f, DATABASE_FILE_MODE);
}
