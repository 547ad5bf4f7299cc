import typescriptEslint from "@typescript-eslint/eslint-plugin";
import tsParser from "@typescript-eslint/parser";
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import { FlatCompat } from "@eslint/eslintrc";
import globals from "globals";

const __dirname = path.dirname(fileURLToPath(import.meta.url));
const compat = new FlatCompat({
  baseDirectory: __dirname,
  recommendedConfig: js.configs.recommended,
  allConfig: js.configs.all,
});

/** Tests, their harness and their support code: the only places that may import test code. */
const TEST_CODE = [
  "**/*.test.ts",
  "e2e/**",
  "testkit/**",
  "**/test/**",
  "**/testdata/**",
  "**/test-support/**",
  "**/test-peers/**",
];
const SHIPPED_CODE = [
  "pepr.ts",
  "capabilities/**/*.ts",
  "crds/**/*.ts",
  "contract/**/*.ts",
  "edge-agent/**/*.ts",
  "mappers/**/*.ts",
];
const NO_TEST_FOLDERS = {
  group: ["**/e2e", "**/e2e/**", "**/test-support", "**/test-support/**", "**/test-peers/**"],
  message: "product code does not import tests or their helpers (e2e/, test-support/, test-peers/)",
};
const NO_TESTKIT = {
  group: ["@kubeedge-ts/testkit", "@kubeedge-ts/testkit/**", "**/testkit/**"],
  message: "shipped code does not import @kubeedge-ts/testkit (test and demo helpers)",
};

// Pepr's module lint, plus the limits Pepr keeps on its own code.
export default [
  { ignores: ["**/node_modules", "**/dist", "build", "crds/generated", "**/*.js", "**/*.mjs"] },
  ...compat.extends("eslint:recommended", "plugin:@typescript-eslint/recommended"),
  {
    plugins: { "@typescript-eslint": typescriptEslint },
    languageOptions: {
      parser: tsParser,
      parserOptions: {
        project: ["./tsconfig.all.json"],
        tsconfigRootDir: __dirname,
        sourceType: "module",
      },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      complexity: ["warn", 12],
      "max-depth": ["warn", 3],
      "max-params": ["warn", 5],
    },
  },
  // Layout rules (docs/architecture.md). Code that is not a test never imports test code.
  {
    files: ["**/*.ts"],
    ignores: TEST_CODE,
    rules: { "no-restricted-imports": ["error", { patterns: [NO_TEST_FOLDERS] }] },
  },
  // What ships (the Pepr module, contract, edge agent, mappers) does not import the testkit
  // either; cli/, local/ and bench/ may: they run from the checkout, where it is installed.
  {
    files: SHIPPED_CODE,
    ignores: TEST_CODE,
    rules: { "no-restricted-imports": ["error", { patterns: [NO_TEST_FOLDERS, NO_TESTKIT] }] },
  },
];
