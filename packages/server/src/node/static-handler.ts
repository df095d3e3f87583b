import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { pathOf } from "./request-info.js";

/** Options of `createStaticHandler`. */
export interface StaticHandlerOptions {
  /** The built app: a directory holding `index.html` (e.g. Vite's `dist`). */
  readonly root: string;
  /**
   * The sync endpoint's path: requests under it are never answered with the app's page (a
   * `GET` there says what the endpoint is instead). @default "/sync"
   */
  readonly syncPath?: string;
}

const CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  [".html", "text/html; charset=utf-8"],
  [".js", "text/javascript; charset=utf-8"],
  [".mjs", "text/javascript; charset=utf-8"],
  [".css", "text/css; charset=utf-8"],
  [".json", "application/json; charset=utf-8"],
  [".webmanifest", "application/manifest+json; charset=utf-8"],
  [".map", "application/json; charset=utf-8"],
  [".svg", "image/svg+xml"],
  [".png", "image/png"],
  [".jpg", "image/jpeg"],
  [".jpeg", "image/jpeg"],
  [".gif", "image/gif"],
  [".webp", "image/webp"],
  [".ico", "image/x-icon"],
  [".woff", "font/woff"],
  [".woff2", "font/woff2"],
  [".txt", "text/plain; charset=utf-8"],
  [".wasm", "application/wasm"],
]);

/** A bundler's content-hashed file name (`index-B3x9_kQa.js`): its content never changes. */
const HASHED = /[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** Cache policy: hashed assets for a year, everything else revalidated on every use. */
export function cacheControlFor(urlPath: string): string {
  return urlPath.startsWith("/assets/") && HASHED.test(urlPath)
    ? "public, max-age=31536000, immutable"
    : "no-cache";
}

/**
 * Serves a built single-page app beside the sync endpoints (`listen`'s `fallback`): files of
 * `root` with their content type, `index.html` for any other page path (the app routes on the
 * client), 404 for missing files with an extension. Hashed files under `/assets/` are cached for
 * a year, the rest (`index.html`, a service worker) must be revalidated, so a deploy shows up on
 * the next load. Paths that leave `root` are refused.
 */
export function createStaticHandler(
  options: StaticHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(options.root);
  const syncPath = options.syncPath ?? "/sync";
  const index = join(root, "index.html");

  async function fileAt(urlPath: string): Promise<string | undefined> {
    const file = resolve(join(root, urlPath));
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) return file;
    if (info?.isDirectory()) {
      const inner = join(file, "index.html");
      if ((await stat(inner).catch(() => undefined))?.isFile()) return inner;
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      res.end("Method not allowed\n");
      return;
    }
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(pathOf(req.url));
    } catch {
      urlPath = "\0";
    }
    if (urlPath.includes("\0")) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      res.end("Bad path\n");
      return;
    }
    if (urlPath === syncPath || urlPath.startsWith(`${syncPath}/`)) {
      res.writeHead(426, { upgrade: "websocket", "content-type": "text/plain; charset=utf-8" });
      res.end(
        `This is the Synced-Store sync endpoint: open a WebSocket here, or POST to ${syncPath}/{connect,push,pull,action,presence}.\n`,
      );
      return;
    }
    let file = await fileAt(urlPath);
    let cache = cacheControlFor(urlPath);
    if (file === undefined) {
      // A page path of the app (no extension): the app's shell, which routes on the client.
      if (extname(urlPath) !== "") {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" });
        res.end("Not found\n");
        return;
      }
      file = index;
      cache = "no-cache";
    }
    const info = await stat(file).catch(() => undefined);
    if (info === undefined) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`No ${index}: build the app first\n`);
      return;
    }
    res.writeHead(200, {
      "content-type": CONTENT_TYPES.get(extname(file).toLowerCase()) ?? "application/octet-stream",
      "content-length": info.size,
      "cache-control": cache,
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }

  return (req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}
