/**
 * Installs the app shell's service worker (`/sw.js`, see `service-worker.js`), so that after a
 * first visit the app opens even when a reload finds no network. Then tells the worker which files
 * this page loaded: the first visit fetched them before the worker existed, and the worker keeps
 * exactly those (plus the page), dropping files of older versions.
 *
 * Call once at start-up. Does nothing where service workers are unavailable (plain http on
 * another host than localhost, some private modes): the app then works as before, online.
 */
export function registerOfflineShell(): void {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
  void navigator.serviceWorker.ready.then((registration) => {
    const urls = performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((url) => url.startsWith(location.origin));
    registration.active?.postMessage({ type: "cache-urls", urls });
  });
}
