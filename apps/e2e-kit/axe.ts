import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, injected into the page under test. */
const AXE_SOURCE = (require("axe-core") as { source: string }).source;

/** One problem axe-core found, reduced to what a failing test should print. */
export interface A11yViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** Runs axe-core (WCAG 2.1 A/AA rules and best practices) on the page as it is now. */
export async function findA11yViolations(page: Page): Promise<A11yViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: Array<{
        id: string;
        impact?: string | null;
        help: string;
        nodes: Array<{ target: unknown[] }>;
      }>;
    }
    const { violations } = await axe.run();
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
}

/** Fails with axe-core's findings when the page has a serious or critical accessibility violation. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const serious = (await findA11yViolations(page)).filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(serious).toEqual([]);
}
