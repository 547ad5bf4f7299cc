#!/usr/bin/env node
// `kubeedge-mapper-bluetooth`: the committed bin, so npm links it even before the build made dist/.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    "kubeedge-mapper-bluetooth: mappers/bluetooth/dist/ is missing; run `npm run build` in the checkout first\n",
  );
  process.exit(1);
}
await import(cli.href);
