import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../config/defaults.js";
import { databaseFiles } from "../store/file-modes.js";
import { startAgent, type Agent } from "./agent.js";

const roots: string[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop();
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** A real agent core (SQLite file, health server) with no modules, on `dataDir`. */
async function agentOn(dataDir: string): Promise<Agent> {
  const config = defaultConfig();
  config.nodeName = "edge-modes";
  config.dataDir = dataDir;
  config.database.dataSource = join(dataDir, "edge.db");
  config.logLevel = "silent";
  config.server.port = 0;
  const agent = await startAgent(config, { modules: [] });
  agents.push(agent);
  agent.outbox.enqueue("event", "k", { reason: "Test", message: "written to the WAL" });
  return agent;
}

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "agent-modes-"));
  roots.push(root);
  return root;
}

describe("the agent's data directory", () => {
  it("another local user cannot read the node's database: dir 0700, db/wal/shm 0600", async () => {
    const dataDir = join(freshRoot(), "state", "kubeedge");
    await agentOn(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    for (const f of databaseFiles(join(dataDir, "edge.db"))) {
      expect(existsSync(f), f).toBe(true);
      expect(mode(f), f).toBe(0o600);
    }
  });

  it("a data directory left world-readable by an older version is tightened at start", async () => {
    const dataDir = join(freshRoot(), "old");
    mkdirSync(dataDir);
    const file = join(dataDir, "edge.db");
    // An older agent killed mid-run: its database with WAL and SHM still on disk, all 0644.
    const scratch = join(freshRoot(), "edge.db");
    const old = new BetterSqlite3(scratch);
    old.pragma("journal_mode = WAL");
    old.exec("CREATE TABLE leftover (x INTEGER); INSERT INTO leftover VALUES (1);");
    databaseFiles(scratch).forEach((f, i) => copyFileSync(f, databaseFiles(file)[i]!));
    old.close();
    for (const f of databaseFiles(file)) chmodSync(f, 0o644);
    chmodSync(dataDir, 0o755);

    await agentOn(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    for (const f of databaseFiles(file)) expect(mode(f), f).toBe(0o600);
  });

  it("a commit the agent acknowledged survives a power cut: its own connection is FULL", async () => {
    // The pragma is per connection: a second connection to the file would prove nothing.
    const agent = await agentOn(join(freshRoot(), "durable"));
    expect(agent.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(agent.db.pragma("synchronous", { simple: true })).toBe(2); // FULL
  });
});
