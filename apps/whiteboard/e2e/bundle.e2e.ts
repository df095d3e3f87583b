import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildBundle, DEVTOOLS_MARKERS } from "../../e2e-kit/production-bundle.js";

const appRoot = fileURLToPath(new URL("..", import.meta.url));

describe("whiteboard bundle", () => {
  it("holds none of the devtools in a production build", async () => {
    const bundle = await buildBundle(appRoot);
    expect(bundle.text).toContain("Whiteboard"); // the app itself is there
    for (const marker of DEVTOOLS_MARKERS) expect(bundle.text).not.toContain(marker);
  });
});
