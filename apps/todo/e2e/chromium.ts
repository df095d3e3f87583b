import { chromium, type Browser, type BrowserContext } from "playwright-core";

/** Debian's Chromium, flags for a quiet headless run in CI (no network but loopback). */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];

/** A launched Chromium. Playwright gives each launch a fresh temporary profile and removes it on close. */
export interface TestBrowser {
  /** A new context: its own storage and IndexedDB, i.e. another user's browser. */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Launches `/usr/bin/chromium` (override with `CHROMIUM_PATH`). */
export async function launchChromium(): Promise<TestBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ARGS,
  });
  return {
    newContext: () => browser.newContext({ viewport: { width: 1100, height: 720 } }),
    async close() {
      await browser.close();
    },
  };
}
