#!/usr/bin/env node
// Checks what a fresh clone promises after `npm ci`: every bin a workspace declares is linked in
// node_modules/.bin and answers `--help` with exit 0; the root's own bin (which npm never links
// into node_modules/.bin, `npx` finds it in package.json) answers `--help` too.
// Run from the repository root: node scripts/check-bins.mjs
import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const readJson = path => JSON.parse(readFileSync(join(root, path), "utf8"));

function binsOf(dir) {
  const pkg = readJson(join(dir, "package.json"));
  if (typeof pkg.bin === "string") return [[pkg.name.replace(/^@[^/]+\//, ""), pkg.bin]];
  return Object.entries(pkg.bin ?? {});
}

function check(label, command) {
  try {
    accessSync(command, constants.X_OK);
  } catch {
    return `${label}: ${command} is missing or not executable`;
  }
  const r = spawnSync(command, ["--help"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  if (r.status === 0) return undefined;
  const how = r.error ? String(r.error) : `exit ${r.status ?? r.signal}`;
  return `${label}: \`${command} --help\` failed (${how})\n${r.stdout}${r.stderr}`;
}

const failures = [];
let count = 0;
for (const dir of readJson("package.json").workspaces) {
  for (const [name] of binsOf(dir)) {
    count++;
    const failure = check(`${dir} bin ${name}`, join(root, "node_modules", ".bin", name));
    if (failure) failures.push(failure);
  }
}
for (const [name, target] of binsOf(".")) {
  count++;
  const failure = check(`root bin ${name}`, join(root, target));
  if (failure) failures.push(failure);
}
if (failures.length > 0) {
  console.error(failures.join("\n"));
  console.error(
    "check-bins: run `npm ci` (or `npm install`), which links the bins and builds dist/",
  );
  process.exit(1);
}
console.log(`check-bins: ${count} bins linked and answering --help`);
