import { describe, expect, it } from "vitest";
import { fitTo, HOME, MAX_SCALE, panBy, placeInView, toBoard, zoomAt } from "./viewport.js";

describe("viewport", () => {
  it("zooms around the pointer: the board point under it stays under it", () => {
    const view = zoomAt(panBy(HOME, 30, -20), { x: 200, y: 100 }, 2);
    expect(view.scale).toBe(2);
    expect(toBoard(view, { x: 200, y: 100 })).toEqual(toBoard(panBy(HOME, 30, -20), { x: 200, y: 100 }));
  });

  it("keeps the zoom within its limits", () => {
    expect(zoomAt(HOME, { x: 0, y: 0 }, 1000).scale).toBe(MAX_SCALE);
  });

  it("fits far-apart shapes into the canvas, and never zooms a small one past 100 %", () => {
    const far = [
      { x: -2000, y: 0, w: 100, h: 100 },
      { x: 3000, y: 900, w: 100, h: 100 },
    ];
    const view = fitTo(far, { w: 1000, h: 600 });
    for (const corner of [
      { x: -2000, y: 0 },
      { x: 3100, y: 1000 },
    ]) {
      const screen = { x: corner.x * view.scale + view.x, y: corner.y * view.scale + view.y };
      expect(screen.x).toBeGreaterThanOrEqual(0);
      expect(screen.x).toBeLessThanOrEqual(1000);
      expect(screen.y).toBeGreaterThanOrEqual(0);
      expect(screen.y).toBeLessThanOrEqual(600);
    }
    expect(fitTo([{ x: 10, y: 10, w: 50, h: 50 }], { w: 1000, h: 600 }).scale).toBe(1);
    expect(fitTo([], { w: 1000, h: 600 })).toEqual(HOME);
  });

  it("places a new shape around the middle of what the canvas shows", () => {
    const view = zoomAt(panBy(HOME, -500, -300), { x: 0, y: 0 }, 0.5);
    const spot = placeInView(view, { w: 390, h: 700 }, { w: 160, h: 100 }, 0);
    expect(toBoard(view, { x: 195, y: 350 })).toEqual({ x: spot.x + 80, y: spot.y + 50 });
  });
});
