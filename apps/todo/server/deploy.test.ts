import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

/** The deploy command of the README (`synced-store serve apps/todo/server/deploy.ts`), for real. */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const cli = `${root}packages/server/bin/synced-store.js`;
const deploy = `${root}apps/todo/server/deploy.ts`;

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child?.exitCode !== null) return;
  const exited = new Promise((resolve) => child?.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
});

/** Starts `serve` with `env`; resolves with its port once it listens, or with its exit code. */
function serve(env: Record<string, string>): Promise<{ port?: number; exitCode?: number; log: string }> {
  const proc = spawn(process.execPath, [cli, "serve", deploy, "--port", "0"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let log = "";
  return new Promise((resolve) => {
    for (const stream of [proc.stdout, proc.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        log += `${line}\n`;
        const port = /"msg":"listening".*"port":(\d+)/.exec(line)?.[1];
        if (port !== undefined) resolve({ port: Number(port), log });
      });
    }
    proc.once("exit", (code) => resolve({ exitCode: code ?? 1, log }));
  });
}

describe("the deployed todo server", () => {
  it("signs in at POST /auth/login with SYNCED_STORE_AUTH_SECRET", async () => {
    const { port, log } = await serve({ SYNCED_STORE_AUTH_SECRET: "x".repeat(40) });
    expect(port, log).toBeDefined();
    const res = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "ada" }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token: string }).token.split(".")).toHaveLength(3);
  }, 30_000);

  it("does not start without the secret", async () => {
    const { exitCode, log } = await serve({ SYNCED_STORE_AUTH_SECRET: "" });
    expect(exitCode).not.toBe(0);
    expect(log).toMatch(/SYNCED_STORE_AUTH_SECRET/);
  }, 30_000);
});
