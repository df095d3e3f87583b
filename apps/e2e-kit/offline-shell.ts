import type { Page } from "playwright-core";

/** How long to wait for the service worker to take over and fill its cache. */
const WAIT = { timeout: 15_000 };

/**
 * Waits until the app shell's service worker controls `page` and holds every file the page
 * loaded, i.e. until a reload without a network would open the app.
 */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      if (!navigator.serviceWorker.controller) return false;
      const names = await caches.keys();
      if (names.length === 0) return false;
      const cached = new Set<string>();
      for (const name of names) for (const r of await (await caches.open(name)).keys()) cached.add(r.url);
      const loaded = performance
        .getEntriesByType("resource")
        .map((e) => e.name)
        .filter((url) => url.startsWith(location.origin) && !new URL(url).pathname.startsWith("/sync"));
      return cached.has(`${location.origin}/`) && loaded.every((url) => cached.has(url));
    },
    undefined,
    { ...WAIT, polling: 100 },
  );
}
