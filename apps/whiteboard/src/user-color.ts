const CURSOR_COLORS = ["#ef4444", "#f97316", "#16a34a", "#0891b2", "#4f46e5", "#c026d3", "#db2777"];

/** A stable colour per user, for their cursor and avatar. */
export function userColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return CURSOR_COLORS[hash % CURSOR_COLORS.length] ?? "#4f46e5";
}
