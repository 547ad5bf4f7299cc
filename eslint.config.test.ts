/** The layout's import rules in eslint.config.js fire (see docs/architecture.md). */
import { ESLint } from "eslint";

const root = new URL(".", import.meta.url).pathname;

// The files are linted as text, not read from disk, so without type information.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { project: null } },
    rules: { "@typescript-eslint/no-floating-promises": "off" },
  },
});

async function restrictedImports(file: string, from: string): Promise<string[]> {
  const code = `import { x } from "${from}";\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: root + file });
  return result.messages.filter(m => m.ruleId === "no-restricted-imports").map(m => m.message);
}

describe("eslint layout rules", () => {
  // The first lint loads the whole eslint/typescript-eslint stack: more than the default test
  // timeout on a loaded 2-core machine, so it happens once here under a generous cap.
  beforeAll(async () => {
    await restrictedImports("cli/probe.ts", "node:fs");
  }, 120_000);

  it.each([
    ["cli/demo/probe.ts", "../../e2e/harness.js", /does not import tests or their helpers/],
    ["local/kube/probe.ts", "../../e2e/cloud/fixtures/smoke-module.js", /tests or their helpers/],
    ["bench/probe.ts", "../mappers/common/test-support/index.js", /tests or their helpers/],
    ["mappers/modbus/src/probe.ts", "../test-peers/peers.js", /tests or their helpers/],
    ["edge-agent/src/probe.ts", "@kubeedge-ts/testkit", /does not import @kubeedge-ts\/testkit/],
    ["capabilities/probe.ts", "../testkit/src/child.js", /does not import @kubeedge-ts\/testkit/],
  ])("refuses %s importing %s", async (file, from, message) => {
    const messages = await restrictedImports(file, from);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ["cli/demo/probe.ts", "@kubeedge-ts/testkit"],
    ["local/control-plane/probe.ts", "@kubeedge-ts/testkit"],
    ["e2e/demo/probe.e2e.test.ts", "../harness.js"],
    ["mappers/modbus/src/probe.test.ts", "@kubeedge-ts/testkit"],
    ["mappers/bluetooth/test/probe.ts", "@kubeedge-ts/testkit"],
  ])("lets %s import %s", async (file, from) => {
    expect(await restrictedImports(file, from)).toEqual([]);
  });
});
