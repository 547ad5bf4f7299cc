// Bundles the compiled agent (dist/main.js) into one file, dist/kubeedge-edge.mjs, which the bin
// (bin/kubeedge-edge.mjs) prefers when it is not older than dist/main.js. One file loads with
// less memory than ~150 modules. better-sqlite3 stays external (native addon), and so does
// protobufjs, the CRI client's message codec: edged imports it only when a container runtime is
// configured, and an external module costs nothing until then (a bundled one is parsed at start).
import { build } from "esbuild";

await build({
  entryPoints: [new URL("../dist/main.js", import.meta.url).pathname],
  outfile: new URL("../dist/kubeedge-edge.mjs", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  external: ["better-sqlite3", "protobufjs"],
  // Bundled CommonJS dependencies (pino, commander) call require for Node built-ins.
  banner: {
    js: "import { createRequire as __kubeedgeRequire } from 'node:module'; const require = __kubeedgeRequire(import.meta.url);",
  },
  logLevel: "warning",
});
