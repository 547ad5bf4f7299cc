/** docs/architecture.md stays true: it names every top-level folder git tracks. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;

function trackedTopLevelFolders(): string[] {
  const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n");
  return [...new Set(files.filter(f => f.includes("/")).map(f => f.split("/")[0]))].sort();
}

describe("docs/architecture.md", () => {
  it("names every top-level folder tracked by git in its folder table", () => {
    const doc = readFileSync(new URL("./architecture.md", import.meta.url), "utf8");
    const named = new Set([...doc.matchAll(/^\| `([^`/]+)\/` +\|/gm)].map(m => m[1]));
    const folders = trackedTopLevelFolders();
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter(f => !named.has(f))).toEqual([]);
    // And names no folder that is gone.
    expect([...named].filter(f => !folders.includes(f))).toEqual([]);
  });
});
