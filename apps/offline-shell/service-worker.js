// The app shell's service worker: after a first visit, the page and every file it loaded come
// from this cache when the network cannot be reached, so a reload while offline opens the app
// (whose data is already local, in IndexedDB) instead of the browser's offline page.
//
// Network first, cache as the fallback: online, every load is fresh (no stale deploys, and Vite's
// dev server works as usual); offline, the last good copy is served. The sync endpoint is never
// touched. The cache holds what the last visit loaded (the page reports its files on each load,
// and the rest is dropped), so it does not grow from one deploy to the next.

const CACHE = "app-shell-v1";
/** Paths the shell never caches: live data and server endpoints. */
const BYPASS = ["/sync", "/healthz", "/metrics"];
/** The document every navigation is (one page; lists and boards live in the URL's hash). */
const SHELL = new URL("/", self.location.origin).href;
/** How long a navigation waits for the network before the cached page is shown (a bad link). */
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add(SHELL)));
  void self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      // Take over the page of the first visit too, so its later requests are cached as well.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data && data.type === "cache-urls" && Array.isArray(data.urls)) event.waitUntil(keepOnly(data.urls));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (BYPASS.some((path) => url.pathname === path || url.pathname.startsWith(`${path}/`))) return;
  event.respondWith(request.mode === "navigate" ? navigation(request) : asset(request));
});

/** The page: from the network (within a few seconds), else the cached shell. */
async function navigation(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.ok) await cache.put(SHELL, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw error;
  }
}

/** A file of the app: from the network, else from the cache. */
async function asset(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    // ignoreVary: the dev server varies on Origin, which a module script sends and cache.add does not.
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

/** Caches the files a page loaded (some before this worker controlled it) and drops the others. */
async function keepOnly(urls) {
  const cache = await caches.open(CACHE);
  const wanted = new Set([SHELL]);
  for (const raw of urls) {
    const url = new URL(raw, self.location.origin);
    if (url.origin !== self.location.origin || BYPASS.some((p) => url.pathname.startsWith(p))) continue;
    url.hash = "";
    wanted.add(url.href);
  }
  for (const request of await cache.keys()) if (!wanted.has(request.url)) await cache.delete(request);
  const cached = new Set((await cache.keys()).map((r) => r.url));
  await Promise.all(
    [...wanted].filter((url) => !cached.has(url)).map((url) => cache.add(url).catch(() => undefined)), // offline again: the next visit retries
  );
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
