import { patternRegex } from "./key-pattern.js";
import type { Entry, FamilyUpgrade, Upgrades, VersionUpgrade } from "./upgrades.js";

interface CompiledFamily {
  readonly regex: RegExp;
  readonly specificity: number;
  readonly upgrade: FamilyUpgrade;
}

const compiled = new WeakMap<VersionUpgrade, readonly CompiledFamily[]>();

/** The families of one step, most specific first (as key families match everywhere). */
function familiesOf(step: VersionUpgrade): readonly CompiledFamily[] {
  let families = compiled.get(step);
  if (families === undefined) {
    families = Object.entries(step.values ?? {})
      .map(([pattern, upgrade]) => ({
        regex: patternRegex(pattern),
        specificity: pattern.replaceAll("*", "").length,
        upgrade,
      }))
      .sort((a, b) => b.specificity - a.specificity);
    compiled.set(step, families);
  }
  return families;
}

function familyOf(step: VersionUpgrade, key: string): FamilyUpgrade | undefined {
  for (const f of familiesOf(step)) if (f.regex.test(key)) return f.upgrade;
  return undefined;
}

/** The entries one old entry becomes under one step. */
function upgradeEntry(step: VersionUpgrade, key: string, value: unknown): readonly Entry[] {
  const upgrade = familyOf(step, key);
  if (upgrade === undefined) return [[key, value]];
  if (typeof upgrade === "function") return [[key, upgrade(value, key)]];
  if ("entries" in upgrade) return upgrade.entries(value, key);
  return [[key, upgrade.up(value, key)]];
}

/**
 * Carries stored entries written under version `from` to version `to`, step by step, through
 * each step's `values`. The client runs it over its persisted base, the server over a space's
 * stored data, so both hold the same values afterwards. A thrown upgrade propagates.
 */
export function upgradeEntries(
  upgrades: Upgrades,
  from: number,
  to: number,
  entries: Iterable<Entry>,
): Map<string, unknown> {
  let current = new Map<string, unknown>(entries);
  for (let v = from + 1; v <= to; v++) {
    const step = upgrades[v];
    if (step?.values === undefined) continue;
    const next = new Map<string, unknown>();
    for (const [key, value] of current) {
      for (const [k, val] of upgradeEntry(step, key, value)) next.set(k, val);
    }
    current = next;
  }
  return current;
}

/** Whether some step after `from` up to `to` asks clients to discard their base. */
export function mustRefetchBase(upgrades: Upgrades, from: number, to: number): boolean {
  for (let v = from + 1; v <= to; v++) if (upgrades[v]?.refetchBase === true) return true;
  return false;
}

/**
 * The value a client of version `to` reads for `key`, from the value of version `from` (newer):
 * each step's `down`, newest first. Families without `down` pass their value on unchanged (the
 * older client reads the newer shape, which additive changes keep readable).
 */
export function downgradeValue(
  upgrades: Upgrades,
  from: number,
  to: number,
  key: string,
  value: unknown,
): unknown {
  for (let v = from; v > to; v--) {
    const step = upgrades[v];
    if (step?.values === undefined) continue;
    const upgrade = familyOf(step, key);
    const down = downOf(upgrade);
    if (down !== undefined) value = down(value, key);
  }
  return value;
}

/** Whether any step after `to` up to `from` downgrades values (else old clients read values as they are). */
export function hasDowngrades(upgrades: Upgrades, from: number, to: number): boolean {
  for (let v = from; v > to; v--) {
    for (const upgrade of Object.values(upgrades[v]?.values ?? {})) {
      if (downOf(upgrade) !== undefined) return true;
    }
  }
  return false;
}

function downOf(upgrade: FamilyUpgrade | undefined): ((value: unknown, key: string) => unknown) | undefined {
  return upgrade !== undefined && typeof upgrade !== "function" && "up" in upgrade ? upgrade.down : undefined;
}
