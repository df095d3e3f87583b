import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

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
  /** Saves the pages' screenshots next to each other, with captions, as one PNG at `path`. */
  screenshotSideBySide(shots: ReadonlyArray<{ page: Page; caption: string }>, path: string): Promise<void>;
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
    async screenshotSideBySide(shots, path) {
      const images = await Promise.all(
        shots.map(async (s) => (await s.page.screenshot()).toString("base64")),
      );
      const cells = shots
        .map(
          (s, i) =>
            `<figure><img src="data:image/png;base64,${images[i]}"><figcaption>${s.caption}</figcaption></figure>`,
        )
        .join("");
      const sheet = await browser.newPage({ viewport: { width: 560 * shots.length + 40, height: 460 } });
      await sheet.setContent(
        `<style>body{margin:0;padding:16px;display:flex;gap:12px;background:#d9dce3;font:14px system-ui}` +
          `figure{margin:0}img{width:550px;border-radius:8px;box-shadow:0 4px 14px #0002;display:block}` +
          `figcaption{text-align:center;margin-top:6px;color:#333}</style>${cells}`,
      );
      await sheet.screenshot({ path, fullPage: true });
      await sheet.close();
    },
    async close() {
      await browser.close();
    },
  };
}
