#!/usr/bin/env -S node --lite-mode --no-expose-wasm
// `kubeedge-edge`: the committed bin, so npm links it even before the build made dist/.
//
// Lite mode (no optimizing compiler; the agent mostly waits on I/O, ~4 MB less RSS) comes from
// the interpreter line, i.e. at process start: switched on later with v8.setFlagsFromString it
// crashed restarted agents with SIGSEGV now and then. `node dist/main.js` runs with the full
// JIT. Lite mode turns WebAssembly off anyway, and says so on stderr unless told explicitly.
//
// It loads dist/kubeedge-edge.mjs, the single-file bundle the build makes (fewer modules to
// load: ~2-4 MB), when that is not older than the compiled sources, else dist/main.js.
import { statSync } from "node:fs";

function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
}

const bundle = new URL("../dist/kubeedge-edge.mjs", import.meta.url);
const main = new URL("../dist/main.js", import.meta.url);
if (mtime(main) < 0 && mtime(bundle) < 0) {
  process.stderr.write(
    "kubeedge-edge: edge-agent/dist/ is missing; run `npm run build` in the checkout first\n",
  );
  process.exit(1);
}
await import(mtime(bundle) >= mtime(main) ? bundle.href : main.href);
