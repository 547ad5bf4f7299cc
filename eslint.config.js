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
];
