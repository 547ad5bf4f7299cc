/**
 * Runs the Modbus suites without the e2e control plane (they need no Kubernetes):
 *   npx vitest run --config e2e/modbus/vitest.standalone.config.ts
 * CI runs them in the e2e project as usual.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const conditions = ["source", "import", "module", "node", "default"];

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: {
    globals: true,
    include: ["e2e/modbus/**/*.e2e.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
