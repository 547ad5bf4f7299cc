/**
 * The workspace programs exactly as a user runs them: through npm's links in node_modules/.bin,
 * so each bin's interpreter line applies (the edge agent's V8 lite mode). They load the
 * workspaces' dist/, so `npm run build` must have run (npm ci and `npm test` do it).
 */
import { fileURLToPath } from "node:url";

/** Every bin a workspace declares; scripts/check-bins.mjs proves each one is linked and runs. */
export type WorkspaceBin = "kubeedge-edge" | "kubeedge-mapper-modbus" | "kubeedge-mapper-bluetooth";

// testkit/src and testkit/dist are both two levels below the repository root.
const BIN_DIR = fileURLToPath(new URL("../../node_modules/.bin/", import.meta.url));

export function binPath(name: WorkspaceBin): string {
  return BIN_DIR + name;
}
