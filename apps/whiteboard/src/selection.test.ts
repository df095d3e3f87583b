import { describe, expect, it } from "vitest";
import type { Shape } from "./shared/schemas.js";
import { inMarquee, restacked, toggled } from "./selection.js";

const shape = (id: string, x: number, y: number, z: number): Shape => ({
  id,
  kind: "rect",
  x,
  y,
  w: 100,
  h: 50,
  color: "#e5e7eb",
  text: "",
  z,
  createdBy: "ada",
});
const shapes = [shape("a", 0, 0, 1), shape("b", 200, 0, 2), shape("c", 0, 200, 3)];

describe("selection", () => {
  it("toggles one id on shift-click", () => {
    expect(toggled(["a"], "b")).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "a")).toEqual(["b"]);
  });

  it("selects the shapes a marquee touches, drawn either way", () => {
    expect(inMarquee(shapes, { x: 50, y: 20 }, { x: 250, y: 30 })).toEqual(["a", "b"]);
    expect(inMarquee(shapes, { x: 250, y: 30 }, { x: 50, y: 20 })).toEqual(["a", "b"]);
    expect(inMarquee(shapes, { x: 120, y: 60 }, { x: 190, y: 190 })).toEqual([]);
  });

  it("brings the selection to the front and sends it to the back in its own order", () => {
    expect(restacked(shapes, new Set(["a", "b"]), "front")).toEqual([
      { id: "a", z: 4 },
      { id: "b", z: 5 },
    ]);
    expect(restacked(shapes, new Set(["b", "c"]), "back")).toEqual([
      { id: "b", z: -1 },
      { id: "c", z: 0 },
    ]);
    expect(restacked(shapes, new Set(), "front")).toEqual([]);
  });
});
