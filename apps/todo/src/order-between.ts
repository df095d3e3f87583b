/**
 * A sort position between two neighbours (either may be missing, at the ends of a list), so a
 * move rewrites one todo instead of renumbering the list.
 */
export function orderBetween(before: number | undefined, after: number | undefined): number {
  if (before === undefined && after === undefined) return 0;
  if (before === undefined) return (after as number) - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}
