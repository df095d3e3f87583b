import { join } from "node:path";

/**
 * Where the e2e tests save their screenshots: `test-results/screenshots` (not tracked), or
 * `$SCREENSHOT_DIR`. Refresh the README's pictures with
 * `SCREENSHOT_DIR=docs/screenshots pnpm vitest run --project e2e`.
 */
export const screenshotDir =
  process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, "../../test-results/screenshots");
