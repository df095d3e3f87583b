import type { Shape } from "./shared/schemas.js";
import type { Point } from "./viewport.js";

/** The ids after a shift-click on `id`: added if it was not selected, removed if it was. */
export function toggled(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id];
}

/** The shapes a marquee from `a` to `b` (board coordinates) touches, in drawing order. */
export function inMarquee(shapes: readonly Shape[], a: Point, b: Point): string[] {
  const left = Math.min(a.x, b.x);
  const right = Math.max(a.x, b.x);
  const top = Math.min(a.y, b.y);
  const bottom = Math.max(a.y, b.y);
  return shapes
    .filter((s) => s.x <= right && s.x + s.w >= left && s.y <= bottom && s.y + s.h >= top)
    .map((s) => s.id);
}

/**
 * New `z` values that put the `selected` shapes above (front) or below (back) all others,
 * keeping their order among themselves. `shapes` is in drawing order.
 */
export function restacked(
  shapes: readonly Shape[],
  selected: ReadonlySet<string>,
  to: "front" | "back",
): { id: string; z: number }[] {
  const moving = shapes.filter((s) => selected.has(s.id));
  if (moving.length === 0 || shapes.length === 0) return [];
  if (to === "front") {
    const top = shapes.at(-1)!.z;
    return moving.map((s, i) => ({ id: s.id, z: top + 1 + i }));
  }
  const bottom = shapes[0]!.z;
  return moving.map((s, i) => ({ id: s.id, z: bottom - moving.length + i }));
}
