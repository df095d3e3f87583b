import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createMemoryStorage } from "../storage/memory.js";
import { startServerProcess, type ServerProcess } from "../test-support/server-process.js";
import { startTestServer } from "../test-support/test-server.js";
import { parseLoadArgs } from "./load-args.js";
import type { LoadReport } from "./load.js";
import { runLoad } from "./load.js";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const STORE_MODULE = fileURLToPath(new URL("../test-support/test-store.ts", import.meta.url));
const processes: ServerProcess[] = [];
afterAll(async () => {
  for (const p of processes) await p.kill("SIGKILL");
});

describe("synced-store load", () => {
  it("confirms every mutation of N clients on M spaces, and the server holds each client's last write", async () => {
    const storage = createMemoryStorage();
    const t = await startTestServer({ storage });
    try {
      const args = parseLoadArgs([
        t.running.url,
        ...["--clients", "12", "--spaces", "4", "--rate", "10", "--duration", "0.6"],
        ...["--space-prefix", "test/load-", "--mutator", "setItem"],
      ]);
      const report = await runLoad(args);
      expect(report).toMatchObject({ clients: 12, connected: 12, unconfirmed: 0, errors: {} });
      expect(report.pushed).toBeGreaterThanOrEqual(12);
      expect(report.confirmed).toBe(report.pushed);
      expect(report.latency.maxMs).toBeGreaterThanOrEqual(report.latency.medianMs);
      // Client i wrote items/<its id> in space i % 4, last with text = its last mutation id.
      const states = await Promise.all(
        [0, 1, 2, 3].map((s) =>
          storage.read(`test/load-${s}`, async (r) =>
            Object.fromEntries((await r.snapshot()).map((row) => [row.key, row.value])),
          ),
        ),
      );
      const items = states.flatMap((st) => Object.keys(st).filter((k) => k.startsWith("items/load-")));
      expect(items).toHaveLength(12);
    } finally {
      await t.close();
    }
  });

  it("counts refused mutations by code and still confirms them", async () => {
    const t = await startTestServer();
    try {
      const report = await runLoad(
        parseLoadArgs([
          t.running.url,
          ...["--clients", "3", "--spaces", "1", "--rate", "5", "--duration", "0.3"],
          ...[
            "--space-prefix",
            "test/fail-",
            "--mutator",
            "failAfterWrite",
            "--args",
            '{"id":"{client}-{seq}"}',
          ],
        ]),
      );
      expect(report.errors.mutator_failed).toBe(report.pushed);
      expect(report.unconfirmed).toBe(0);
    } finally {
      await t.close();
    }
  });

  it("reports connection failures instead of hanging", async () => {
    // A closed port: every client fails to connect, the run still ends.
    const report = await runLoad(
      parseLoadArgs(["ws://127.0.0.1:1/sync", "--clients", "2", "--duration", "0.1"]),
    );
    expect(report.connected).toBe(0);
    expect(report.errors.socket_error).toBe(2);
  });

  it("refuses non-loopback hosts, bad urls and out-of-bounds counts", () => {
    expect(() => parseLoadArgs(["ws://example.com/sync"])).toThrow(/--allow-remote/);
    expect(parseLoadArgs(["ws://example.com/sync", "--allow-remote"]).url).toBe("ws://example.com/sync");
    expect(() => parseLoadArgs(["http://127.0.0.1/sync"])).toThrow(/ws:\/\//);
    expect(() => parseLoadArgs(["ws://127.0.0.1/sync", "--clients", "20000"])).toThrow(/--clients/);
    expect(() => parseLoadArgs(["ws://127.0.0.1/sync", "--duration", "601"])).toThrow(/--duration/);
    expect(() => parseLoadArgs(["ws://127.0.0.1/sync", "--args", "{nope"])).toThrow(/--args/);
    expect(() => parseLoadArgs([])).toThrow(/Missing/);
  });

  it("runs as a command against a served process and exits 0 with a JSON report", async () => {
    const server = await startServerProcess([STORE_MODULE, "--port", "0"]);
    processes.push(server);
    const child = spawn(
      process.execPath,
      [
        ...[
          "--conditions=@synced-store/source",
          "--import",
          import.meta.resolve("tsx"),
          MAIN,
          "load",
          server.url,
        ],
        ...["--clients", "4", "--spaces", "2", "--duration", "0.5", "--rate", "4", "--json"],
        ...["--space-prefix", "test/cli-", "--mutator", "setItem"],
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const report = JSON.parse(out) as LoadReport;
    expect(code).toBe(0);
    expect(report).toMatchObject({ connected: 4, unconfirmed: 0, errors: {} });
    expect(report.confirmed).toBeGreaterThan(0);
  });
});
