import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { exportsSuite } from "../../../scripts/exports-suite.js";

describe("@synced-store/core exports", () => {
  exportsSuite(
    "@synced-store/core",
    fileURLToPath(new URL("..", import.meta.url)),
    (specifier) => import(specifier),
  );
});
