// @vitest-environment node
import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { exportsSuite } from "../../../scripts/exports-suite.js";

describe("@synced-store/devtools exports", () => {
  exportsSuite(
    "@synced-store/devtools",
    fileURLToPath(new URL("..", import.meta.url)),
    (specifier) => import(specifier),
  );
});
