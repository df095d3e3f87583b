import { defineConfig } from "vitest/config";

// Vitest's reporter prints failures with `Map.groupBy` (Node 21+); on Node 20 it crashed instead.
const mapWithGroupBy = Map as unknown as { groupBy?: unknown };
mapWithGroupBy.groupBy ??= <T, K>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  let i = 0;
  for (const item of items) {
    const key = keyOf(item, i++);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
};

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
        test: { name: "devtools", root: "packages/devtools", environment: "jsdom" },
      },
      {
        extends: true,
        test: { name: "scripts", root: "scripts", environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "apps",
          root: "apps",
          environment: "node",
          include: ["*/src/**/*.test.{ts,tsx}", "*/server/**/*.test.ts", "*/evolution/**/*.test.ts"],
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
