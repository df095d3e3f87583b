import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkServices } from "./services.js";

/** A port that was just free: nothing listens on it once the probe server closes. */
let closedPort: number;
let open: Server;
let openPort: number;

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  open = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => open.listen(0, "127.0.0.1", r));
  openPort = (open.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => open.close(() => r())));

describe("checkServices", () => {
  it("is ready when every service accepts a connection, and prints nothing", async () => {
    const lines: string[] = [];
    const env = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${openPort}/test`,
      REDIS_URL: `redis://127.0.0.1:${openPort}`,
    };
    expect(await checkServices(["postgres", "redis"], env, (l) => lines.push(l))).toBe(true);
    expect(lines).toEqual([]);
  });

  it("skips with one line naming what to start and the variable to set", async () => {
    const lines: string[] = [];
    const env = { DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${closedPort}/test` };
    expect(await checkServices(["postgres"], env, (l) => lines.push(l))).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^skipped: PostgreSQL is not reachable at .*: start it .* or set DATABASE_URL$/);
    expect(lines[0]).not.toContain("secret");
  });

  it("fails instead when SYNCED_STORE_REQUIRE_SERVICES=1", async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${closedPort}`, SYNCED_STORE_REQUIRE_SERVICES: "1" };
    await expect(checkServices(["redis"], env, () => undefined)).rejects.toThrow(
      /Redis is not reachable .* or set REDIS_URL .*SYNCED_STORE_REQUIRE_SERVICES=1/,
    );
  });
});
