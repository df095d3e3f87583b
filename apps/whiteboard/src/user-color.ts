// Dark enough for white initials on the avatar (WCAG AA contrast), and visible on every note colour.
const CURSOR_COLORS = ["#b91c1c", "#c2410c", "#15803d", "#0e7490", "#4338ca", "#a21caf", "#be185d"];

/** A stable colour per user, for their cursor and avatar. */
export function userColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return CURSOR_COLORS[hash % CURSOR_COLORS.length] ?? "#4f46e5";
}
