/**
 * The configuration reference (docs/configuration.md) generated from the config's defaults and
 * FIELD_DOCS, so the page cannot drift from the code: a unit test compares the page's generated
 * block with this, and `npx tsx scripts/config-reference.ts` rewrites it.
 */
import { defaultConfig, FIELD_DOCS } from "./defaults.js";

export const REFERENCE_BEGIN = "<!-- BEGIN GENERATED: npx tsx scripts/config-reference.ts -->";
export const REFERENCE_END = "<!-- END GENERATED -->";

type Value = unknown;

const isSection = (v: Value): v is Record<string, Value> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;

function typeOf(v: Value): string {
  if (Array.isArray(v)) return "list";
  if (typeof v === "object" && v !== null) return "map";
  return typeof v;
}

function shown(v: Value): string {
  if (v === "") return "(empty)";
  return `\`${JSON.stringify(v)}\``;
}

/** Table-safe text: `|` would end the cell, `<name>` would vanish as an HTML tag. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/</g, "&lt;");

function describe(field: string): string {
  const doc = FIELD_DOCS[field];
  if (doc) return doc;
  return /^modules\.[^.]+\.enable$/.test(field) ? "Runs this module." : "";
}

function rows(section: Record<string, Value>, path: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(section)) {
    const field = path ? `${path}.${key}` : key;
    if (isSection(value)) {
      out.push(`| \`${field}\` | section | | ${cell(describe(field))} |`);
      out.push(...rows(value, field));
    } else {
      out.push(`| \`${field}\` | ${typeOf(value)} | ${shown(value)} | ${cell(describe(field))} |`);
    }
  }
  return out;
}

/** The generated block: one table row per field, in the order `--defaultconfig` prints them. */
export function configReference(): string {
  return [
    REFERENCE_BEGIN,
    "",
    "| Field | Type | Default | Meaning |",
    "| --- | --- | --- | --- |",
    ...rows(defaultConfig() as unknown as Record<string, Value>, ""),
    "",
    REFERENCE_END,
  ].join("\n");
}

/** The page with its generated block replaced by `block`; throws if the markers are missing. */
export function withReference(page: string, block: string): string {
  const begin = page.indexOf(REFERENCE_BEGIN);
  const end = page.indexOf(REFERENCE_END);
  if (begin < 0 || end < begin) throw new Error("the page has no generated-reference markers");
  return page.slice(0, begin) + block + page.slice(end + REFERENCE_END.length);
}
