/**
 * What `join` writes under the data dir, and the record `reset` removes it by. Nothing is
 * written before the certificate is issued, so a refused join leaves the device untouched.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function joinLayout(dataDir: string) {
  return {
    dataDir,
    kubeconfig: join(dataDir, "node.kubeconfig"),
    config: join(dataDir, "config.yaml"),
    /** The agent's own state (SQLite and friends), `dataDir` in config.yaml. */
    agentState: join(dataDir, "agent"),
    record: join(dataDir, "join.json"),
  };
}
export type JoinLayout = ReturnType<typeof joinLayout>;

/** join.json: enough for `reset` to put the device back as it was. */
export interface JoinRecord {
  nodeName: string;
  server: string;
  /** join made the data dir (reset removes it entirely) or found it (reset removes its files). */
  createdDataDir: boolean;
  files: string[];
  /** The systemd unit file `--install-service` wrote, if any. */
  serviceUnit?: string;
  joinedAt: string;
}

export function readJoinRecord(dataDir: string): JoinRecord | undefined {
  const { record } = joinLayout(dataDir);
  if (!existsSync(record)) return undefined;
  return JSON.parse(readFileSync(record, "utf8")) as JoinRecord;
}
