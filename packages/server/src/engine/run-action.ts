import { ValidationError } from "@synced-store/core";
import { OrderedMap, type CompiledPattern } from "@synced-store/core/internal";
import { withTimeout } from "../util/with-timeout.js";
import type { Limits } from "./limits.js";
import { serverTransaction } from "./server-transaction.js";
import type { SpaceState, WriteLayer } from "./space-state.js";
import type { RuntimeAction } from "./store-runtime.js";

/** Input of `runAction`. */
export interface ActionCall {
  readonly name: string;
  readonly args: unknown;
  readonly userId: string;
  readonly spaceId: string;
  readonly state: SpaceState;
  readonly patterns: readonly CompiledPattern[];
  readonly limits: Limits;
}

/**
 * Validates the args and runs an action with full access over the cached state, bounded by
 * `actionTimeoutMs`. Returns its value and its writes (not stored yet); throws what it throws.
 */
export async function runAction(
  def: RuntimeAction,
  call: ActionCall,
): Promise<{ value: unknown; writes: WriteLayer }> {
  const parsed = def.args.safeParse(call.args);
  if (!parsed.success) {
    throw new ValidationError(
      "invalid_args",
      `Invalid args for action ${call.name}: ${parsed.error.message}`,
    );
  }
  const tx = serverTransaction(
    { userId: call.userId, clientId: "", fullAccess: true, patterns: call.patterns, limits: call.limits },
    call.state,
    new OrderedMap(),
  );
  const value = await withTimeout(
    def.run(tx, parsed.data, { userId: call.userId, spaceId: call.spaceId }),
    call.limits.actionTimeoutMs,
    `Action ${call.name} did not finish`,
    "action_failed",
  );
  return { value, writes: tx.writes };
}
