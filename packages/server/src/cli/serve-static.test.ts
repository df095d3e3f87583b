import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../test/e2e/harness.js";
import { jsonLogger } from "./json-logger.js";
import { parseServeArgs, serve } from "./serve.js";

/** `serve <definition> --static <dir>`: the built app and the sync endpoints on one port. */

const dir = tempDir("synced-store-static-");
const app = `${dir.path}/app`;
let stop: () => Promise<void>;
let port: number;

beforeAll(async () => {
  mkdirSync(`${app}/assets`, { recursive: true });
  writeFileSync(`${app}/index.html`, "<!doctype html><title>the app</title>");
  writeFileSync(`${app}/assets/index-B3x9_kQa.js`, "console.log('app')");
  writeFileSync(`${app}/sw.js`, "self.skipWaiting()");
  writeFileSync(`${dir.path}/secret.json`, '{"secret":true}');
  const definition = fileURLToPath(new URL("../test-support/test-store.ts", import.meta.url));
  const args = parseServeArgs([definition, "--port", "0", "--static", app]);
  const { server, running } = await serve(
    args,
    jsonLogger(() => undefined, "error"),
  );
  port = running.port;
  stop = async () => {
    await running.close();
    await server.close();
  };
});
afterAll(async () => {
  await stop();
  dir.remove();
});

function get(path: string, method = "GET") {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

describe("serve --static", () => {
  it("serves the app's files with their content type; hashed assets cached for a year", async () => {
    const page = await get("/");
    expect(page).toMatchObject({ status: 200, body: "<!doctype html><title>the app</title>" });
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["cache-control"]).toBe("no-cache");
    const asset = await get("/assets/index-B3x9_kQa.js");
    expect(asset.body).toBe("console.log('app')");
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    // Not hashed: a new deploy must reach the browser on its next check.
    expect((await get("/sw.js")).headers["cache-control"]).toBe("no-cache");
    const head = await get("/assets/index-B3x9_kQa.js", "HEAD");
    expect(head).toMatchObject({ status: 200, body: "" });
    expect(head.headers["content-length"]).toBe("18");
  });

  it("answers page paths with index.html and missing files with 404", async () => {
    expect(await get("/lists/42?x=1")).toMatchObject({
      status: 200,
      body: "<!doctype html><title>the app</title>",
    });
    expect((await get("/assets/gone-AAAAAAAA.js")).status).toBe(404);
    expect((await get("/", "POST")).status).toBe(405);
  });

  it("never serves a file outside the app's directory", async () => {
    for (const path of ["/..%2fsecret.json", "/%2e%2e/secret.json", "/assets/..%2f..%2fsecret.json"]) {
      const res = await get(path);
      expect(res.body).not.toContain("secret");
      expect(res.status).toBe(404);
    }
  });

  it("keeps the sync endpoints: GET /sync says what it is, /healthz answers", async () => {
    const sync = await get("/sync");
    expect(sync.status).toBe(426);
    expect(sync.body).toMatch(/sync endpoint/);
    expect(await get("/healthz")).toMatchObject({ status: 200, body: '{"ok":true}' });
  });
});
