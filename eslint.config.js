// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "bench-results/**", "**/*.js", "**/*.cjs"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "no-console": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: [
      "**/*.test.ts",
      "**/*.test.tsx",
      "**/*.e2e.ts",
      "**/*.bench.ts",
      "scripts/**",
      "**/bin/**",
      "**/cli/**",
    ],
    rules: { "no-console": "off", "@typescript-eslint/no-floating-promises": "off" },
  },
  {
    // Apps use the public surface; engine internals and the wire protocol are for the packages.
    files: ["apps/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@synced-store/core/internal", "@synced-store/core/protocol"],
              message: "Apps import from @synced-store/core (and /idb, /testing); internals may change.",
            },
          ],
        },
      ],
    },
  },
);
