/**
 * Golden-file comparison shared by the unit and e2e profile tests. `UPDATE_GOLDEN=1` rewrites
 * the files instead of comparing (review the diff before committing).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function readOrUpdateGolden(path: string, actual: unknown): unknown {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${path} is missing; create it with UPDATE_GOLDEN=1 and review it`);
  }
  return JSON.parse(readFileSync(path, "utf8"));
}
