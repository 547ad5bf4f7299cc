/**
 * `npx tsx scripts/config-reference.ts`: rewrites the generated table of docs/configuration.md
 * from the edge agent's config defaults and field docs (edge-agent/src/config/). Run it after
 * adding or changing a config field; edge-agent/src/config/reference.test.ts fails until then.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configReference, withReference } from "../edge-agent/src/config/reference.js";

const page = fileURLToPath(new URL("../docs/configuration.md", import.meta.url));
writeFileSync(page, withReference(readFileSync(page, "utf8"), configReference()));
process.stdout.write(`updated ${page}\n`);
