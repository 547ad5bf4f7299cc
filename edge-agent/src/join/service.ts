/**
 * The agent as a systemd service (`join --install-service`, undone by `reset`): the unit from
 * packaging/kubeedge-edge.service with this machine's node, bin and config paths filled in.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

export const UNIT_NAME = "kubeedge-edge.service";
export const UNIT_PATH = `/etc/systemd/system/${UNIT_NAME}`;
// dist/join/service.js and the single-file bundle dist/kubeedge-edge.mjs sit at different depths.
const TEMPLATES = ["../../packaging/", "../packaging/"].map(
  up => new URL(`${up}kubeedge-edge.service`, import.meta.url),
);

export function renderUnit(paths: { node: string; bin: string; config: string; dataDir: string }) {
  const template = TEMPLATES.find(t => existsSync(t));
  if (!template) throw new Error("packaging/kubeedge-edge.service is missing from the install");
  return readFileSync(template, "utf8")
    .replaceAll("@NODE@", paths.node)
    .replaceAll("@BIN@", paths.bin)
    .replaceAll("@CONFIG@", paths.config)
    .replaceAll("@DATA_DIR@", paths.dataDir);
}

function systemctl(...args: string[]): void {
  execFileSync("systemctl", args, { stdio: ["ignore", "pipe", "pipe"] });
}

export function installService(unit: string, path = UNIT_PATH): void {
  writeFileSync(path, unit, { mode: 0o644 });
  systemctl("daemon-reload");
  systemctl("enable", "--now", UNIT_NAME);
}

/** Stops and removes the unit; a machine without systemd only loses the file. */
export function removeService(path = UNIT_PATH): void {
  try {
    systemctl("disable", "--now", UNIT_NAME);
  } catch {
    // not running, or no systemd on this machine
  }
  rmSync(path, { force: true });
  try {
    systemctl("daemon-reload");
  } catch {
    // no systemd
  }
}
