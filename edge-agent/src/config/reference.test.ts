import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "./defaults.js";
import { REFERENCE_BEGIN, REFERENCE_END, configReference, withReference } from "./reference.js";

const PAGE = fileURLToPath(new URL("../../../docs/configuration.md", import.meta.url));

describe("docs/configuration.md", () => {
  it("holds the reference generated from the config (run npx tsx scripts/config-reference.ts)", () => {
    const page = readFileSync(PAGE, "utf8");
    const block = page.slice(
      page.indexOf(REFERENCE_BEGIN),
      page.indexOf(REFERENCE_END) + REFERENCE_END.length,
    );
    expect(block).toBe(configReference());
  });
});

describe("configReference", () => {
  const table = configReference();

  it("has a row for every field of the defaults, with its default", () => {
    expect(table).toContain("| `nodeName` | string | (empty) |");
    expect(table).toContain("| `modules.edgeHub.heartbeat` | number | `10` |");
    expect(table).toContain(
      `| \`modules.eventBus.mqttServerInternal\` | string | \`"${defaultConfig().modules.eventBus.mqttServerInternal}"\` |`,
    );
    expect(table).toContain("| `modules.edged.labels` | map | `{}` |");
    expect(table).toMatch(/\| `modules\.eventBus\.tls` \| section \| \| TLS towards/);
  });

  it("replaces only the generated block of a page", () => {
    const page = `intro\n${REFERENCE_BEGIN}\nold\n${REFERENCE_END}\noutro\n`;
    expect(withReference(page, "NEW")).toBe("intro\nNEW\noutro\n");
    expect(() => withReference("no markers", "NEW")).toThrow(/markers/);
  });
});
