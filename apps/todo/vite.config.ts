import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { offlineShell } from "../offline-shell/offline-shell-plugin.js";

/** Workspace packages resolve to their TypeScript source, so the app needs no build of them. */
export default defineConfig({
  root: import.meta.dirname,
  // offlineShell: the service worker that opens the app without a network after a first visit.
  plugins: [react(), offlineShell()],
  resolve: { conditions: ["@synced-store/source"] },
  // Pre-bundled up front, so a first visit never triggers a re-optimisation and page reload.
  optimizeDeps: { include: ["react", "react-dom", "react-dom/client", "react/jsx-dev-runtime", "zod"] },
});
