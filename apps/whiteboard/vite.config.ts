import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Workspace packages resolve to their TypeScript source, so the app needs no build of them. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: { conditions: ["@synced-store/source"] },
  // Pre-bundled up front, so a first visit never triggers a re-optimisation and page reload.
  optimizeDeps: { include: ["react", "react-dom", "react-dom/client", "react/jsx-dev-runtime", "zod"] },
});
