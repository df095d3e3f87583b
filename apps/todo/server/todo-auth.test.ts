import { createMemoryStorage } from "@synced-store/server";
import { listen, type RunningServer } from "@synced-store/server/node";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createTodoSyncServer } from "./create-todo-sync-server.js";
import { authSecret, todoAuth, type TodoAuth } from "./todo-auth.js";

const SECRET = "a-test-secret-that-is-long-enough-000";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** The todo sync server with `auth`, its sign-in endpoint beside it, on a loopback port. */
async function start(auth: TodoAuth): Promise<RunningServer> {
  const sync = createTodoSyncServer(createMemoryStorage(), auth);
  const running = await listen(sync, {
    port: 0,
    fallback: (req, res) => {
      void auth.handleLogin(req, res).then((handled) => {
        if (handled) return;
        res.writeHead(404);
        res.end();
      });
    },
  });
  stop = async () => {
    await running.close();
    await sync.close();
  };
  return running;
}

/** Opens a raw WebSocket, sends `connect` with `auth`, and resolves with the first message. */
async function connectWith(url: string, auth: string): Promise<{ type: string; code?: string }> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const reply = new Promise<{ type: string; code?: string }>((resolve) =>
    ws.once("message", (data: Buffer) => resolve(JSON.parse(data.toString()) as { type: string })),
  );
  ws.send(
    JSON.stringify({
      type: "connect",
      space: "todo/list-1",
      client_id: `c-${Math.random()}`,
      auth,
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    }),
  );
  const message = await reply;
  ws.close();
  return message;
}

async function login(running: RunningServer, body: string) {
  const res = await fetch(`http://127.0.0.1:${running.port}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: res.status, json: (await res.json()) as { token?: string; expires_at?: number } };
}

describe("todo sign-in with signed tokens", () => {
  it("admits a token from POST /auth/login; refuses a bare name and foreign tokens", async () => {
    const running = await start(todoAuth({ secret: SECRET }));
    const { status, json } = await login(running, JSON.stringify({ name: "ada" }));
    expect(status).toBe(200);
    expect(json.expires_at).toBeGreaterThan(Date.now());
    expect(await connectWith(running.url, json.token!)).toMatchObject({ type: "connected" });

    expect(await connectWith(running.url, "ada")).toMatchObject({ type: "error", code: "unauthenticated" });
    const foreign = await todoAuth({ secret: `${SECRET}-other` }).issue("ada");
    expect(await connectWith(running.url, foreign.token)).toMatchObject({ code: "unauthenticated" });
    const [header, , signature] = json.token!.split(".");
    const forgedBody = Buffer.from(
      JSON.stringify({ sub: "bob", iss: "synced-store-todo", exp: 9e9 }),
    ).toString("base64url");
    expect(await connectWith(running.url, `${header}.${forgedBody}.${signature}`)).toMatchObject({
      code: "unauthenticated",
    });
  });

  it("refuses an expired token, and a sign-in without a valid name", async () => {
    const running = await start(todoAuth({ secret: SECRET, ttlSeconds: -10 }));
    const expired = await todoAuth({ secret: SECRET, ttlSeconds: -10 }).issue("ada");
    expect(await connectWith(running.url, expired.token)).toMatchObject({ code: "unauthenticated" });
    expect((await login(running, JSON.stringify({ name: "Not A Name!" }))).status).toBe(400);
    expect((await login(running, "not json")).status).toBe(400);
  });

  it("needs SYNCED_STORE_AUTH_SECRET outside development; development has a stand-in", () => {
    expect(() => authSecret({}, false)).toThrow(/SYNCED_STORE_AUTH_SECRET/);
    expect(() => authSecret({ SYNCED_STORE_AUTH_SECRET: "short" }, true)).toThrow(/at least 32/);
    expect(authSecret({ SYNCED_STORE_AUTH_SECRET: SECRET }, false)).toBe(SECRET);
    expect(authSecret({}, true)).toMatch(/development/);
  });
});
