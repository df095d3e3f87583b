import { defineConfig } from "vitest/config";

/** Workspace packages resolve to their TypeScript source: no build step in dev and tests. */
export const sourceCondition = "@synced-store/source";

export default defineConfig({
  resolve: { conditions: [sourceCondition] },
  ssr: { resolve: { conditions: [sourceCondition] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "core", root: "packages/core", environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "server",
          root: "packages/server",
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: "react", root: "packages/react", environment: "jsdom" },
      },
      {
        extends: true,
        test: {
          name: "apps",
          root: "apps",
          environment: "node",
          include: ["*/src/**/*.test.{ts,tsx}", "*/server/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          root: "apps",
          environment: "node",
          include: ["*/e2e/**/*.e2e.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
