import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildBundle, DEVTOOLS_MARKERS } from "../../e2e-kit/production-bundle.js";

const appRoot = fileURLToPath(new URL("..", import.meta.url));

describe("todo app bundle", () => {
  it("holds none of the devtools in a production build", async () => {
    const bundle = await buildBundle(appRoot);
    expect(bundle.text).toContain("Shared todo lists"); // the app itself is there
    for (const marker of DEVTOOLS_MARKERS) expect(bundle.text).not.toContain(marker);
  });

  it("holds them in a development build (so the check above can see them)", async () => {
    const bundle = await buildBundle(appRoot, "development");
    for (const marker of DEVTOOLS_MARKERS) expect(bundle.text).toContain(marker);
  });
});
