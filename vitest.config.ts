import { defineConfig } from "vitest/config";

// Workspace packages export their TypeScript sources under the "source" condition, so tests
// run against src/ without a build; Node at run time takes the compiled dist/.
const conditions = ["source", "import", "module", "node", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: {
    globals: true,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [
            "**/node_modules/**",
            "**/dist/**",
            "**/*.e2e.test.ts",
            "**/*.integration.test.ts",
          ],
          testTimeout: 20_000,
        },
      },
      {
        // Beside the code like unit tests, but against real brokers and processes (mosquitto,
        // pymodbus, a spawned CLI) and without a control plane: slower and needs the Debian
        // packages that scripts/bootstrap.sh installs, so `npm run test:unit` stays hermetic.
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          globalSetup: ["e2e/global-setup.ts", "e2e/global-setup-containerd.ts"],
          // No retries: a test that fails on a loaded 2-core machine is a bug to fix (deadlines
          // sized for load, peers cut through a proxy, never restarted on the same port).
          retry: 0,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
