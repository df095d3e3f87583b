import { describe, expect, it } from "vitest";
import type { Shape } from "./shared/schemas.js";
import { UndoHistory, type ShapeWriter } from "./undo-history.js";

const rect: Shape = {
  id: "r1",
  kind: "rect",
  x: 10,
  y: 20,
  w: 100,
  h: 50,
  color: "#a5b4fc",
  text: "",
  z: 1,
  createdBy: "ada",
};

function recordingWriter(): { writes: unknown[]; writer: ShapeWriter } {
  const writes: unknown[] = [];
  return {
    writes,
    writer: {
      put: (shape) => writes.push(["put", shape.id]),
      patch: (id, fields) => writes.push(["patch", id, fields]),
      delete: (id) => writes.push(["delete", id]),
    },
  };
}

describe("UndoHistory", () => {
  it("undoes and redoes a move by writing back only the fields it changed", () => {
    const { writes, writer } = recordingWriter();
    const history = new UndoHistory(writer);
    history.record([{ id: "r1", before: rect, after: { ...rect, x: 60, y: 80 } }]);
    history.undo();
    history.redo();
    expect(writes).toEqual([
      ["patch", "r1", { x: 10, y: 20 }],
      ["patch", "r1", { x: 60, y: 80 }],
    ]);
  });

  it("undoes a creation with a delete and a deletion with a put", () => {
    const { writes, writer } = recordingWriter();
    const history = new UndoHistory(writer);
    history.record([{ id: "r1", before: null, after: rect }]);
    history.record([{ id: "r1", before: rect, after: null }]);
    history.undo(); // the deletion
    history.undo(); // the creation
    expect(writes).toEqual([
      ["put", "r1"],
      ["delete", "r1"],
    ]);
    expect(history.canUndo).toBe(false);
    expect(history.canRedo).toBe(true);
  });

  it("forgets the redo stack on a new step, and bounds its length", () => {
    const { writer } = recordingWriter();
    const history = new UndoHistory(writer, 2);
    for (const x of [1, 2, 3]) history.record([{ id: "r1", before: rect, after: { ...rect, x } }]);
    history.undo();
    history.undo();
    expect(history.canUndo).toBe(false); // only 2 steps kept
    history.record([{ id: "r1", before: rect, after: { ...rect, color: "#fca5a5" } }]);
    expect(history.canRedo).toBe(false);
  });

  it("notifies subscribers when the stacks change", () => {
    const history = new UndoHistory(recordingWriter().writer);
    let calls = 0;
    const off = history.subscribe(() => calls++);
    history.record([{ id: "r1", before: null, after: rect }]);
    history.undo();
    history.undo(); // nothing left: no change, no call
    off();
    history.redo();
    expect(calls).toBe(2);
  });
});
