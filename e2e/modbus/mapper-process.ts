/** Runs the real `kubeedge-mapper-modbus` (its bin, as users do) and reads its pino log. */
import { binPath, freePort, startChild, type Child, eventually } from "@kubeedge-ts/testkit";

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface MapperProcess {
  child: Child;
  httpUrl: string;
  logs(): LogLine[];
  waitForLog(what: string, match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  stop(): Promise<void>;
}

export async function startMapper(
  profile: string,
  mqttUrl: string,
  env: Record<string, string> = {},
): Promise<MapperProcess> {
  const httpPort = await freePort();
  const child = startChild(
    binPath("kubeedge-mapper-modbus"),
    ["--profile", profile, "--mqtt", mqttUrl],
    {
      env: {
        ...process.env,
        MAPPER_HTTP_HOST: "127.0.0.1",
        MAPPER_HTTP_PORT: String(httpPort),
        MAPPER_MODBUS_TIMEOUT_MS: "500",
        MAPPER_MODBUS_BACKOFF_MIN_MS: "100",
        MAPPER_MODBUS_BACKOFF_MAX_MS: "400",
        ...env,
      },
    },
  );
  const logs = (): LogLine[] =>
    child
      .output()
      .split("\n")
      .filter(l => l.startsWith("{"))
      .map(l => JSON.parse(l) as LogLine);
  const waitForLog = (
    what: string,
    match: (l: LogLine) => boolean,
    timeoutMs = 10_000,
  ): Promise<LogLine> =>
    eventually(
      what,
      () => {
        if (child.proc.exitCode !== null)
          throw new Error(`mapper exited ${child.proc.exitCode}: ${child.output()}`);
        return logs().find(match);
      },
      timeoutMs,
    );
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitForLog("mapper started", l => l.msg === "mapper started", 30_000);
  return { child, httpUrl, logs, waitForLog, stop: () => child.stop() };
}
