import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { exportsSuite } from "../../../scripts/exports-suite.js";

describe("@synced-store/server exports", () => {
  exportsSuite(
    "@synced-store/server",
    fileURLToPath(new URL("..", import.meta.url)),
    (specifier) => import(specifier),
  );
});
