/**
 * `pnpm bench [filter]`: runs every `*.bench.ts` of the workspace, each in its own Node process
 * (with --expose-gc, against TypeScript sources), one after another so they do not disturb each
 * other. Each writes `bench-results/<suite>.json`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const filter = process.argv[2] ?? "";
function findBenches(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".")) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? findBenches(path) : e.name.endsWith(".bench.ts") ? [path] : [];
  });
}

const files = ["packages", "apps"]
  .flatMap(findBenches)
  .filter((f) => f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches "${filter}"`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", "--conditions=@synced-store/source", "--import", "tsx", file],
    { stdio: "inherit" },
  );
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
