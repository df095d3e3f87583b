import type { IncomingMessage, ServerResponse } from "node:http";
import { renderAdminPage } from "../admin/admin-page.js";
import type { SyncServer } from "../sync-server.js";
import { checkAdminToken, presentedToken, tokenMatches } from "./admin-token.js";
import { pathOf, requestInfo } from "./request-info.js";

/** Options of `createAdminHandler`. */
export interface AdminHandlerOptions {
  /** The secret a request must present (`Authorization: Bearer`, or Basic's password). */
  readonly token: string;
  /** `GET {path}` is the HTML page, `GET {path}/state` the JSON. @default "/admin" */
  readonly path?: string;
}

/**
 * The admin endpoint: every space this process holds with its version, key count, connected
 * clients per user and their last mutation ids, recent rejections, and the bus. It shows
 * everything, unfiltered, so no request without the token gets anything: 401 (with a Basic
 * challenge, so a browser asks) for a missing or wrong token, and nothing is cached.
 * Returns a Node request listener that resolves to false for requests it does not handle.
 */
export function createAdminHandler(server: SyncServer, options: AdminHandlerOptions) {
  const token = checkAdminToken(options.token);
  const path = options.path ?? "/admin";
  const jsonPath = `${path}/state`;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const p = pathOf(req.url);
    if (p !== path && p !== jsonPath) return false;
    res.setHeader("cache-control", "no-store");
    if (!tokenMatches(token, presentedToken(requestInfo(req)))) {
      res.writeHead(401, {
        "www-authenticate": 'Basic realm="Synced-Store admin", charset="UTF-8"',
        "content-type": "application/json",
      });
      res.end(JSON.stringify({ error: "This endpoint needs the admin token" }));
      return true;
    }
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET", "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Use GET" }));
      return true;
    }
    const report = server.inspect();
    if (p === jsonPath) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(report));
    } else {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(renderAdminPage(report, jsonPath));
    }
    return true;
  };
}
