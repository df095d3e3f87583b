import type { Box } from "./shared/schemas.js";

/**
 * What part of the board the canvas shows: a screen point `s` shows the board point
 * `(s - {x, y}) / scale`. Kept per tab (not synced): each user looks where they like.
 */
export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

/** A point, in screen (canvas) or board coordinates. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The board at 100 %, its origin in the canvas's top-left corner. */
export const HOME: Viewport = { x: 0, y: 0, scale: 1 };

/** Zoom stays within these, so the board never vanishes into a dot or one pixel fills the screen. */
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 4;

const clampScale = (scale: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));

/** The board point under the canvas point `screen`. */
export function toBoard(view: Viewport, screen: Point): Point {
  return { x: (screen.x - view.x) / view.scale, y: (screen.y - view.y) / view.scale };
}

/** Zooms by `factor` keeping the board point under the canvas point `at` where it is. */
export function zoomAt(view: Viewport, at: Point, factor: number): Viewport {
  const scale = clampScale(view.scale * factor);
  const board = toBoard(view, at);
  return { x: at.x - board.x * scale, y: at.y - board.y * scale, scale };
}

/** Moves the board by (dx, dy) screen pixels. */
export function panBy(view: Viewport, dx: number, dy: number): Viewport {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** The smallest box holding all `boxes`, or null for none. */
export function boundsOf(boxes: readonly Omit<Box, "id">[]): Omit<Box, "id"> | null {
  if (boxes.length === 0) return null;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: left, y: top, w: right - left, h: bottom - top };
}

/**
 * The view that shows all `boxes` centred in a canvas of `size`, with `margin` pixels around,
 * never zoomed in past 100 % (a single small shape stays its size). No boxes: {@link HOME}.
 */
export function fitTo(
  boxes: readonly Omit<Box, "id">[],
  size: { w: number; h: number },
  margin = 40,
): Viewport {
  const bounds = boundsOf(boxes);
  if (bounds === null) return HOME;
  const scale = clampScale(Math.min(1, (size.w - 2 * margin) / bounds.w, (size.h - 2 * margin) / bounds.h));
  return {
    x: size.w / 2 - (bounds.x + bounds.w / 2) * scale,
    y: size.h / 2 - (bounds.y + bounds.h / 2) * scale,
    scale,
  };
}

/** Where a new shape of size (w, h) goes: around the middle of what the canvas shows. */
export function placeInView(
  view: Viewport,
  size: { w: number; h: number },
  shape: { w: number; h: number },
  jitter: number,
): Point {
  const middle = toBoard(view, { x: size.w / 2, y: size.h / 2 });
  return {
    x: Math.round(middle.x - shape.w / 2 + jitter * 60),
    y: Math.round(middle.y - shape.h / 2 + jitter * 40),
  };
}
