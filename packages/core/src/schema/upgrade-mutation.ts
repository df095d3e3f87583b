import { RETIRED_MUTATION, type Upgrades } from "./upgrades.js";

/** A queued mutation carried to a newer version, or why it cannot be. */
export type MutationUpgrade =
  | { readonly ok: true; readonly name: string; readonly args: unknown }
  | { readonly ok: false; readonly code: "mutator_retired" | "invalid_args"; readonly message: string };

/**
 * Carries a call of mutator `name` written under version `from` to version `to`, step by step:
 * renamed, its arguments upgraded, or rejected when a step retired it. Client (over its persisted
 * queue) and server (over pushes of older clients) both call this, so both reach the same call.
 */
export function upgradeMutation(
  upgrades: Upgrades,
  from: number,
  to: number,
  name: string,
  args: unknown,
): MutationUpgrade {
  if (name === RETIRED_MUTATION) return { ok: true, name, args };
  for (let v = from + 1; v <= to; v++) {
    const step = upgrades[v]?.mutators;
    // Own properties only: a mutator named "constructor" has no upgrade.
    const upgrade = step !== undefined && Object.hasOwn(step, name) ? step[name] : undefined;
    if (upgrade === undefined) continue;
    if ("retired" in upgrade) {
      return {
        ok: false,
        code: "mutator_retired",
        message: `${name} was retired in version ${v}: ${upgrade.retired}`,
      };
    }
    if (upgrade.args !== undefined) {
      try {
        args = upgrade.args(args);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          code: "invalid_args",
          message: `Upgrading ${name} to version ${v} failed: ${why}`,
        };
      }
    }
    name = upgrade.to ?? name;
  }
  return { ok: true, name, args };
}
