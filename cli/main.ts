/** `kubeedge-ts`: the developer and demo CLI (local cluster, cloud module, demo). */
import { Command } from "commander";
import { registerClusterCommands } from "./cluster.js";
import { registerCloudCommands } from "./cloud.js";
import { registerDemoCommand } from "./demo.js";
import { registerImagesCommands } from "./images.js";
import { registerTokenCommands } from "./token.js";
import { registerInstallCommands } from "./install.js";

const program = new Command("kubeedge-ts")
  .description(
    "KubeEdge rebuilt in TypeScript: local cluster, cloud module, images and demo tooling",
  )
  .showHelpAfterError();

registerClusterCommands(program);
registerCloudCommands(program);
registerDemoCommand(program);
registerImagesCommands(program);
registerTokenCommands(program);
registerInstallCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  // Print the whole cause chain: the useful part (an apiserver message) is usually innermost.
  for (let e: unknown = err, prefix = "error"; e; prefix = "  cause") {
    const body = (e as { body?: unknown }).body;
    console.error(
      `${prefix}: ${e instanceof Error ? e.message : String(e)}${body ? ` ${JSON.stringify(body)}` : ""}`,
    );
    e = e instanceof Error ? e.cause : undefined;
  }
  process.exit(1);
});
