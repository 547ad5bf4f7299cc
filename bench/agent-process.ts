/**
 * bench/devicetwin-agent.ts as a child process pinned to one core (`taskset -c 1`): its READY
 * line (the mapper's broker URL) and its STATS on demand (SIGUSR2).
 */
import { spawn } from "node:child_process";

export interface AgentStats {
  handled: number;
  refused: number;
  rssMiB: number;
  cpuMs: number;
  /** Event-loop delay since the previous STATS, in ms. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  /** kubeedge_edge_mqtt_refused_total by reason. */
  mqttRefused: Record<string, number>;
}

export interface BenchAgent {
  url: string;
  stats(): Promise<AgentStats>;
  stop(): void;
}

/**
 * `rateLimited: false` lifts the broker's per-client publish rate (the ingest bench measures
 * what the agent can take, far over what one mapper may send).
 */
export async function startBenchAgent(
  devices: number,
  opts: { rateLimited?: boolean } = {},
): Promise<BenchAgent> {
  const agent = spawn(
    "taskset",
    // BENCH_NODE_FLAGS="--cpu-prof" profiles the agent.
    [
      "-c",
      "1",
      process.execPath,
      ...(process.env.BENCH_NODE_FLAGS?.split(" ") ?? []),
      "--conditions=source",
      "--import",
      "tsx",
      "bench/devicetwin-agent.ts",
      String(devices),
      opts.rateLimited === false ? "unlimited" : "limited",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  agent.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const waitLine = async (prefix: string, nth = 1): Promise<string> => {
    for (let i = 0; i < 600; i++) {
      const line = out.split("\n").filter(l => l.startsWith(prefix))[nth - 1];
      if (line) return line.slice(prefix.length).trim();
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`agent did not print ${prefix}:\n${out}`);
  };
  let asked = 0;
  try {
    const url = await waitLine("READY");
    return {
      url,
      async stats() {
        agent.kill("SIGUSR2");
        return JSON.parse(await waitLine("STATS", ++asked)) as AgentStats;
      },
      stop: () => agent.kill("SIGTERM"),
    };
  } catch (error) {
    agent.kill("SIGTERM");
    throw error;
  }
}
