import { readFileSync } from "node:fs";
import type { Plugin } from "vite";

const source = readFileSync(new URL("./service-worker.js", import.meta.url), "utf8");

/**
 * Serves the app shell's service worker at `/sw.js`: from the dev server (middleware, also in
 * Vite's middleware mode, which both apps use), and as a file of a production build. The page
 * registers it with `registerOfflineShell()`.
 */
export function offlineShell(): Plugin {
  return {
    name: "synced-store:offline-shell",
    configureServer(server) {
      server.middlewares.use("/sw.js", (req, res, next) => {
        if (req.method !== "GET" && req.method !== "HEAD") return next();
        res.setHeader("Content-Type", "text/javascript; charset=utf-8");
        // The browser checks for a new worker on each visit; never serve it from the HTTP cache.
        res.setHeader("Cache-Control", "no-cache");
        res.end(source);
      });
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}
