import { isDeepStrictEqual } from "node:util";
import type { AnyStore } from "@synced-store/core";
import { assertConverged } from "@synced-store/core/testing";

/** Reads a space's canonical state, every key included (`$$so/` and every user's `$$pu/`). */
export type ServerSnapshot = (spaceId: string) => Promise<Record<string, unknown>>;

/**
 * Waits until every store of `spaceId` holds exactly the server's state as its user may see it,
 * with nothing pending, and returns that state. Throws the last difference after `timeoutMs`.
 * A commit that lands during the check can change only keys the clients never see (`$$so/`):
 * the state counts only if the server did not move meanwhile.
 */
export async function waitForConvergence(
  snapshot: ServerSnapshot,
  spaceId: string,
  stores: readonly AnyStore[],
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const state = await snapshot(spaceId);
    try {
      await assertConverged(stores, state);
      if (!isDeepStrictEqual(await snapshot(spaceId), state))
        throw new Error("The server moved during the check");
      return state;
    } catch (error) {
      if (performance.now() > deadline) {
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`${spaceId} did not converge within ${timeoutMs} ms: ${why}`, { cause: error });
      }
    }
    await new Promise((r) => setTimeout(r, Math.min(100, 10 * (attempt + 1))));
  }
}
