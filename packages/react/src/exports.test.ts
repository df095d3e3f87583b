// @vitest-environment node
import { fileURLToPath } from "node:url";
import { describe } from "vitest";
import { exportsSuite } from "../../../scripts/exports-suite.js";

describe("@synced-store/react exports", () => {
  exportsSuite(
    "@synced-store/react",
    fileURLToPath(new URL("..", import.meta.url)),
    (specifier) => import(specifier),
  );
});
