/** `kubeedge-ts`: the developer and demo CLI (local cluster, cloud module, demo). */
import { Command } from "commander";
import { registerClusterCommands } from "./cluster.js";
import { registerCloudCommands } from "./cloud.js";

const program = new Command("kubeedge-ts")
  .description("KubeEdge rebuilt in TypeScript: local cluster, cloud module and demo tooling")
  .showHelpAfterError();

registerClusterCommands(program);
registerCloudCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
