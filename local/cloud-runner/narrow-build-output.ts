/**
 * `pepr build` writes one webhook per configuration matching every rule of the module; the
 * in-cluster module must be as narrow as the local one (webhook-scopes.ts), so `npm run
 * build:module` rewrites the webhook configurations in dist/pepr-module-<uuid>.yaml with the
 * same split the cloud runner uses. Other documents pass through unchanged.
 *
 * Run: tsx local/cloud-runner/narrow-build-output.ts dist/pepr-module-<uuid>.yaml
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { V1ValidatingWebhook } from "@kubernetes/client-node";
import { parseAllDocuments, stringify } from "yaml";
import { scopedWebhooks } from "./webhook-config.js";

const WEBHOOK_KINDS = new Set(["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]);

interface Doc {
  kind?: string;
  webhooks?: V1ValidatingWebhook[];
}

/** The documents of `text` with every webhook configuration's webhooks narrowed. */
export function narrowBuildOutput(text: string): string {
  const docs = parseAllDocuments(text).map(d => d.toJS() as Doc | null);
  return docs
    .filter((d): d is Doc => d !== null)
    .map(d =>
      WEBHOOK_KINDS.has(d.kind ?? "")
        ? { ...d, webhooks: (d.webhooks ?? []).flatMap(w => scopedWebhooks(w)) }
        : d,
    )
    .map(d => stringify(d))
    .join("---\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: narrow-build-output.ts <dist/pepr-module-<uuid>.yaml>");
  writeFileSync(file, narrowBuildOutput(readFileSync(file, "utf8")));
}
