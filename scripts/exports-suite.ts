import { expect, it } from "vitest";
import { byName, exportedNames, exportListText } from "./export-list.js";

/**
 * The export snapshot tests of one package (called from its `src/exports.test.ts`): its surface
 * equals `exports.snapshot.txt` at the package root, and every entry exports at run time the
 * values the snapshot lists. A change to the surface fails until the snapshot is updated with
 * `pnpm vitest run -u`, so it shows in review.
 */
/** Both tests run the TypeScript compiler over a package's entries: seconds on a loaded machine. */
const COMPILER_TIMEOUT_MS = 60_000;

export function exportsSuite(
  packageName: string,
  packageDir: string,
  load: (specifier: string) => Promise<Record<string, unknown>>,
): void {
  it(
    "exports exactly what exports.snapshot.txt lists",
    async () => {
      await expect(exportListText(packageName, packageDir)).toMatchFileSnapshot("../exports.snapshot.txt");
    },
    COMPILER_TIMEOUT_MS,
  );

  it(
    "exports at run time every value its types list, and nothing else",
    async () => {
      for (const [entry, names] of exportedNames(packageDir)) {
        const specifier = entry === "." ? packageName : `${packageName}/${entry.slice(2)}`;
        const values = names.filter((n) => n.kind !== "type").map((n) => n.name);
        expect(Object.keys(await load(specifier)).sort(byName), specifier).toEqual(values);
      }
    },
    COMPILER_TIMEOUT_MS,
  );
}
