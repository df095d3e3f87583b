#!/usr/bin/env node
// Runs the CLI from TypeScript source through tsx, with the workspace's source export condition
// (a published build would import ../dist/cli/main.js instead).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const child = spawn(
  process.execPath,
  [
    "--conditions=@synced-store/source",
    "--import",
    import.meta.resolve("tsx"),
    main,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
