#!/usr/bin/env -S node --lite-mode --no-expose-wasm
/**
 * `kubeedge-edge` launcher. Two memory measures (see docs/benchmarks.md, "Edge agent"): V8 lite
 * mode (no optimizing compiler; the agent mostly waits on I/O, and it saves ~4 MB RSS), and the
 * single-file bundle of the agent when the build made one that is at least as new as the
 * compiled sources (fewer modules to load: ~2-4 MB).
 *
 * Lite mode comes from the interpreter line, i.e. at process start. It used to be switched on
 * here with v8.setFlagsFromString, after V8 had started: that crashed restarted agents with
 * SIGSEGV now and then (seen in CI), as Node warns such late flag changes may. `node dist/cli.js`
 * runs with the full JIT; `node --lite-mode --no-expose-wasm dist/cli.js` is what the bin does
 * (lite mode turns WebAssembly off anyway, and says so on stderr unless told explicitly).
 */
import { statSync } from "node:fs";

function mtime(url: URL): number {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
}

const bundle = new URL("./kubeedge-edge.mjs", import.meta.url);
const main = new URL("./main.js", import.meta.url);
await import(mtime(bundle) >= mtime(main) && mtime(bundle) > 0 ? bundle.href : "./main.js");
