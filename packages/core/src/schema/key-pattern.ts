import type { z } from "zod";

/**
 * Key families are written as patterns where `*` stands for one path segment (any characters but
 * `/`), e.g. `todos/*` or `$$pu/*\/prefs`. At the type level a pattern becomes a template literal.
 */
export type PatternToKey<P extends string> = P extends `${infer Head}*${infer Tail}`
  ? `${Head}${string}${PatternToKey<Tail>}`
  : P;

/** A map from key patterns to the zod schema of the values stored under them. */
export type KeySchemas = Record<string, z.ZodType>;

/** The value type stored at key `K` under schemas `S` (`unknown` when no family matches). */
export type ValueAt<S extends KeySchemas, K extends string> = [MatchingPatterns<S, K>] extends [never]
  ? unknown
  : z.output<S[MatchingPatterns<S, K>]>;

type MatchingPatterns<S extends KeySchemas, K extends string> = {
  [P in keyof S & string]: K extends PatternToKey<P> ? P : never;
}[keyof S & string];

/** The value types that can be found under key prefix `TPrefix` (all of them for `""`). */
export type ValueUnder<S extends KeySchemas, TPrefix extends string> = [PatternsUnder<S, TPrefix>] extends [
  never,
]
  ? z.output<S[keyof S & string]>
  : z.output<S[PatternsUnder<S, TPrefix>]>;

type PatternsUnder<S extends KeySchemas, TPrefix extends string> = {
  [P in keyof S & string]: PatternToKey<P> extends `${TPrefix}${string}` ? P : never;
}[keyof S & string];

/** Any key some family of `S` can hold. */
export type KeyOf<S extends KeySchemas> = PatternToKey<keyof S & string>;

/** A compiled pattern, matched at run time against concrete keys. */
export interface CompiledPattern {
  readonly pattern: string;
  readonly regex: RegExp;
  /** The pattern's text before its first `*`: a key must start with it (checked before the regex). */
  readonly literalPrefix: string;
  /** Literal characters in the pattern; more literal characters means more specific. */
  readonly specificity: number;
  readonly schema: z.ZodType;
}

/** Compiles the patterns of `schemas`, most specific first. */
export function compilePatterns(schemas: KeySchemas): CompiledPattern[] {
  return Object.entries(schemas)
    .map(([pattern, schema]) => ({
      pattern,
      schema,
      specificity: pattern.replaceAll("*", "").length,
      regex: patternRegex(pattern),
      literalPrefix: pattern.split("*", 1)[0]!,
    }))
    .sort((a, b) => b.specificity - a.specificity);
}

/** The regular expression matching the keys of `pattern` (`*` is one segment, no `/`). */
export function patternRegex(pattern: string): RegExp {
  return new RegExp(
    "^" +
      pattern
        .split("*")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]+") +
      "$",
  );
}

/** The schema for `key`, or undefined when no family matches it. */
export function schemaForKey(patterns: readonly CompiledPattern[], key: string): z.ZodType | undefined {
  for (const p of patterns) if (key.startsWith(p.literalPrefix) && p.regex.test(key)) return p.schema;
  return undefined;
}
