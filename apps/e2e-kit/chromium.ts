import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "playwright-core";

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

/** The desktop window the tests use unless told otherwise. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1100, height: 720 } };

/** A phone (390×844 CSS pixels, touch, mobile viewport meta honoured), as the apps must support. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** A launched Chromium. Playwright gives each launch a fresh temporary profile and removes it on close. */
export interface TestBrowser {
  /** A new context: its own storage and IndexedDB, i.e. another user's browser. @default DESKTOP */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
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
    newContext: (options = DESKTOP) => browser.newContext(options),
    async screenshotSideBySide(shots, path) {
      const images = await Promise.all(
        shots.map(async (s) => (await s.page.screenshot()).toString("base64")),
      );
      // A phone's picture is drawn narrower than a desktop's, at its own proportions.
      const widths = shots.map((s) => ((s.page.viewportSize()?.width ?? 1100) < 600 ? 280 : 550));
      const cells = shots
        .map(
          (s, i) =>
            `<figure><img style="width:${widths[i]}px" src="data:image/png;base64,${images[i]}">` +
            `<figcaption style="width:${widths[i]}px">${s.caption}</figcaption></figure>`,
        )
        .join("");
      const width = widths.reduce((sum, w) => sum + w + 12, 28);
      const sheet = await browser.newPage({ viewport: { width, height: 460 } });
      await sheet.setContent(
        `<style>body{margin:0;padding:16px;display:flex;align-items:start;gap:12px;background:#d9dce3;` +
          `font:14px system-ui;width:max-content}figure{margin:0}` +
          `img{border-radius:8px;box-shadow:0 4px 14px #0002;display:block}` +
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
