#!/usr/bin/env node
/**
 * `kubeedge-edge` launcher. Two memory measures, taken before any other code loads (see
 * docs/benchmarks.md, "Edge agent"): V8 lite mode (no optimizing compiler; the agent mostly
 * waits on I/O, and it saves ~4 MB RSS), and the single-file bundle of the agent when the build
 * made one that is at least as new as the compiled sources (fewer modules to load: ~2-4 MB).
 * KUBEEDGE_EDGE_JIT=full turns lite mode off.
 */
import { statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";

if (process.env.KUBEEDGE_EDGE_JIT !== "full") setFlagsFromString("--lite-mode");

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
