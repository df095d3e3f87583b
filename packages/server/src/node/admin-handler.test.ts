import { afterEach, describe, expect, it } from "vitest";
import { MemoryBusNetwork } from "../bus/memory-bus.js";
import type { ServerInspection } from "../admin/server-inspection.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { tokenMatches } from "./admin-token.js";
import { listen } from "./listen.js";
import { createSyncServer } from "../sync-server.js";
import { testStore } from "../test-support/test-store.js";

const TOKEN = "s3cret-admin-token-0123456789";
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const t = await startTestServer(options);
  servers.push(t);
  const base = `http://127.0.0.1:${t.running.port}`;
  return { t, base };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (password: string) => ({
  authorization: `Basic ${Buffer.from(`ops:${password}`).toString("base64")}`,
});

describe("admin endpoint", () => {
  it("is off without a token: /admin is not found, whatever the request presents", async () => {
    const { base } = await start();
    for (const path of ["/admin", "/admin/state"]) {
      const res = await fetch(base + path, { headers: bearer(TOKEN) });
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("");
    }
  });

  it("refuses a missing or wrong token, and a token in the URL, with 401 and no data", async () => {
    const { t, base } = await start({ adminToken: TOKEN });
    await t.connected("ann", "c-ann");
    const attempts: Array<[string, Record<string, string>]> = [
      ["/admin/state", {}],
      ["/admin", {}],
      ["/admin/state", bearer("wrong")],
      ["/admin/state", bearer(TOKEN.slice(0, -1) + "X")], // same length, last character differs
      ["/admin/state", bearer(TOKEN + "X")], // the token as a prefix
      ["/admin/state", bearer(TOKEN.slice(0, -1))],
      ["/admin/state", basic("wrong")],
      ["/admin/state", { authorization: TOKEN }], // no scheme
      [`/admin/state?token=${TOKEN}`, {}],
    ];
    for (const [path, headers] of attempts) {
      const res = await fetch(base + path, { headers });
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = await res.text();
      expect(body).not.toContain("test/1");
      expect(body).not.toContain("ann");
    }
  });

  it("answers with the token: spaces, clients per user, last mutation ids, rejections (JSON)", async () => {
    const { t, base } = await start({ adminToken: TOKEN });
    const ann = await t.connected("ann", "c-ann");
    await t.connected("ann", "c-ann-2");
    await t.connected("bob", "c-bob", "test/2");
    ann.send({
      type: "push",
      client_id: "c-ann",
      mutations: [
        { id: 1, name: "setItem", args: { id: "a", text: "A" }, timestamp: 0 },
        { id: 2, name: "failAfterWrite", args: { id: "b" }, timestamp: 0 },
      ],
    });
    await ann.waitFor((m) => m.type === "mutation_error");
    await t.server.settled();
    const res = await fetch(`${base}/admin/state`, { headers: bearer(TOKEN) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const report = (await res.json()) as ServerInspection;
    expect(report.connections).toBe(3);
    expect(report.bus).toBeNull();
    expect(report.spaces.map((s) => s.id)).toEqual(["test/1", "test/2"]);
    const [one, two] = report.spaces;
    expect(one).toMatchObject({ version: 1, keyCount: 1, knownClients: 2 });
    expect(one?.users).toEqual([
      {
        userId: "ann",
        clients: [
          { clientId: "c-ann", lastMutationId: 2, version: expect.any(Number) as number },
          { clientId: "c-ann-2", lastMutationId: 0, version: expect.any(Number) as number },
        ],
      },
    ]);
    expect(one?.recentRejections).toEqual([
      {
        clientId: "c-ann",
        mutationId: 2,
        code: "mutator_failed",
        message: expect.stringContaining("refusing b") as string,
      },
    ]);
    expect(two?.users.map((u) => u.userId)).toEqual(["bob"]);
  });

  it("serves an HTML page to a browser's Basic login, escaping what clients sent", async () => {
    const { t, base } = await start({ adminToken: TOKEN });
    await t.connected("<b>eve<b>", "c-eve");
    const res = await fetch(`${base}/admin`, { headers: basic(TOKEN) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain("<h2>test/1</h2>");
    expect(html).toContain("&#60;b&#62;eve&#60;b&#62;");
    expect(html).not.toContain("<b>eve<b>");
    expect(html).toContain('href="/admin/state"');
  });

  it("reports the bus: notices heard and published, resyncs", async () => {
    const network = new MemoryBusNetwork();
    const { t, base } = await start({ adminToken: TOKEN, bus: network.join(), busPollIntervalMs: 0 });
    const c = await t.connected("ann", "c1");
    c.send({
      type: "push",
      client_id: "c1",
      mutations: [{ id: 1, name: "setItem", args: { id: "a", text: "A" }, timestamp: 0 }],
    });
    await c.waitFor((m) => m.type === "poke");
    const report = (await (
      await fetch(`${base}/admin/state`, { headers: bearer(TOKEN) })
    ).json()) as ServerInspection;
    expect(report.bus).toMatchObject({ published: 1, errors: 0, lastError: null });
    expect(report.bus?.id).toEqual(expect.any(String));
  });

  it("refuses a short token at start, and takes the token as a listen option too", async () => {
    const server = createSyncServer({ stores: [testStore] });
    await expect(listen(server, { port: 0, adminToken: "short" })).rejects.toThrow(/at least 16/);
    const running = await listen(server, { port: 0, adminToken: TOKEN });
    try {
      const base = `http://127.0.0.1:${running.port}`;
      expect((await fetch(`${base}/admin/state`)).status).toBe(401);
      expect((await fetch(`${base}/admin/state`, { headers: bearer(TOKEN) })).status).toBe(200);
      expect((await fetch(`${base}/admin/state`, { method: "POST", headers: bearer(TOKEN) })).status).toBe(
        405,
      );
    } finally {
      await running.close();
      await server.close();
    }
  });
});

describe("tokenMatches", () => {
  it("compares whole tokens of any length, and never matches a missing one", () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(tokenMatches(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokenMatches(TOKEN, "")).toBe(false);
    expect(tokenMatches(TOKEN, undefined)).toBe(false);
  });
});
