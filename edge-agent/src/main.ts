import { Command, InvalidArgumentError } from "commander";
import { loadConfig, type ConfigFlags } from "./config/load.js";
import { renderDefaultConfig, renderMinConfig } from "./config/render.js";
import { ConfigError } from "./config/validate.js";
import type { CredentialsCommandOptions } from "./eventbus/credentials-command.js";
import { registerJoinCommands } from "./join/commands.js";
import { registerDeadLetterCommands } from "./store/dead-letters-command.js";

interface CliOptions extends ConfigFlags {
  config?: string;
  minconfig?: boolean;
  defaultconfig?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("not a port number");
  return n;
}

const program = new Command()
  .name("kubeedge-edge")
  .description("kubeedge-ts edge agent: node identity, EdgeHub, local metadata, device twins")
  .option("--config <file>", "YAML config file")
  .option("--minconfig", "print a minimal config and exit")
  .option("--defaultconfig", "print the full config with defaults and comments and exit")
  .option("--kubeconfig <file>", "kubeconfig with the node identity (modules.edgeHub.kubeconfig)")
  .option("--node-name <name>", "node name (nodeName)")
  .option("--data-dir <dir>", "state directory (dataDir)")
  .option(
    "--secrets-key-file <file>",
    "key sealing Secrets in the database, kept apart from it (database.secretsKeyFile)",
  )
  .option(
    "--mqtt-internal-server <url>",
    "embedded MQTT broker URL (modules.eventBus.mqttServerInternal)",
  )
  .option("--mqtt-mode <mode>", "internal | external | both (modules.eventBus.mqttMode)")
  .option(
    "--mqtt-allow-anonymous",
    "let MQTT clients without credentials in as mappers (modules.eventBus.allowAnonymous)",
  )
  .option("--healthz-port <port>", "port of /healthz and /metrics (server.port), 0 = any", port)
  .option("--healthz-bind-address <addr>", "address of /healthz and /metrics (server.address)")
  .option("--log-level <level>", "log level (logLevel)")
  .option(
    "--remote-runtime-endpoint <endpoint>",
    "CRI endpoint, e.g. unix:///run/containerd/containerd.sock (modules.edged.remoteRuntimeEndpoint)",
  )
  .action(async (opts: CliOptions) => {
    if (opts.minconfig) return void process.stdout.write(renderMinConfig());
    if (opts.defaultconfig) return void process.stdout.write(renderDefaultConfig());
    let config;
    try {
      config = loadConfig(opts.config, opts);
    } catch (error) {
      process.stderr.write(`kubeedge-edge: ${(error as Error).message}\n`);
      if (!(error instanceof ConfigError) && (error as Error).cause) {
        process.stderr.write(`  cause: ${String((error as Error).cause)}\n`);
      }
      process.exit(2);
    }
    // Loaded only when the agent runs: printing a config needs no SQLite or logger.
    const { startAgent } = await import("./agent/agent.js");
    const agent = await startAgent(config);
    const shutdown = (signal: string): void => {
      agent.log.info({ signal }, "shutting down");
      agent.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });

registerDeadLetterCommands(program);

program
  .command("mqtt-credentials")
  .description(
    "print the embedded MQTT broker's login for a mapper or an application, as JSON {username, password, url}",
  )
  .option("--config <file>", "YAML config file (dataDir, applications, broker URL)")
  .option("--data-dir <dir>", "state directory holding mqtt-credentials.json")
  .requiredOption("--role <role>", "mapper | app")
  .option("--name <name>", "application name (with --role app)")
  .action(async (opts: CredentialsCommandOptions) => {
    const { mqttCredentialsLine } = await import("./eventbus/credentials-command.js");
    process.stdout.write(mqttCredentialsLine(opts));
  });

/** The message and its causes, one per line: "module edgehub failed to start" alone helps nobody. */
function describe(error: unknown): string {
  const lines: string[] = [];
  for (let e = error; e !== undefined && lines.length < 5; e = (e as Error).cause) {
    lines.push(e instanceof Error ? e.message : String(e));
  }
  return lines.join("\n  caused by: ");
}

// Agent flags come before a subcommand; `join --node-name` is join's own flag.
program.enablePositionalOptions();
registerJoinCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`kubeedge-edge: ${describe(error)}\n`);
  process.exit(1);
});
