import { useMutate } from "@synced-store/react";
import { useSyncExternalStore } from "react";
import { newId } from "../new-id.js";
import { COLORS, type Shape, type ShapeKind } from "../shared/schemas.js";
import type { UndoHistory } from "../undo-history.js";

/** Props of {@link Toolbar}. */
export interface ToolbarProps {
  shapes: readonly Shape[];
  selectedIds: readonly string[];
  history: UndoHistory;
  onDelete: () => void;
  onRestack: (to: "front" | "back") => void;
  /** Where a new shape of this size goes: in the part of the board the canvas shows. */
  place: (size: { w: number; h: number }) => { x: number; y: number };
}

const NEW_SHAPE: Record<ShapeKind, { label: string; w: number; h: number; color: Shape["color"] }> = {
  rect: { label: "Rectangle", w: 160, h: 100, color: "#a5b4fc" },
  ellipse: { label: "Ellipse", w: 140, h: 100, color: "#86efac" },
  sticky: { label: "Sticky note", w: 160, h: 140, color: "#fde68a" },
};

/**
 * Create, recolour, delete, restack, undo and redo; every change is recorded in the undo history,
 * a change of several selected shapes as one step.
 */
export function Toolbar({ shapes, selectedIds, history, onDelete, onRestack, place }: ToolbarProps) {
  const mutate = useMutate();
  useSyncExternalStore(history.subscribe, () => `${history.canUndo}${history.canRedo}`);
  const selected = shapes.filter((s) => selectedIds.includes(s.id));
  // Controls say what they act on: "Delete 2 selected shapes".
  const selectionName = selected.length === 1 ? "the selected shape" : `${selected.length} selected shapes`;

  const create = (kind: ShapeKind) => {
    const { w, h, color } = NEW_SHAPE[kind];
    const shape: Shape = {
      id: newId(),
      kind,
      ...place({ w, h }),
      w,
      h,
      color,
      text: kind === "sticky" ? "Note" : "",
      z: (shapes.at(-1)?.z ?? 0) + 1,
      createdBy: "",
    };
    void mutate.putShape(shape);
    void mutate.select({ ids: [shape.id] });
    history.record([{ id: shape.id, before: null, after: shape }]);
  };
  const recolor = (color: Shape["color"]) => {
    history.record(selected.map((s) => ({ id: s.id, before: s, after: { ...s, color } })));
    for (const s of selected) void mutate.recolorShape({ id: s.id, color });
  };
  return (
    <div className="toolbar">
      {(Object.keys(NEW_SHAPE) as ShapeKind[]).map((kind) => (
        <button
          key={kind}
          aria-label={`Add ${NEW_SHAPE[kind].label.toLowerCase()}`}
          onClick={() => create(kind)}
        >
          {NEW_SHAPE[kind].label}
        </button>
      ))}
      <span className="sep" />
      <div className="palette" aria-label="Colour">
        {COLORS.map((color) => (
          <button
            key={color}
            aria-label={`Colour ${color} for ${selectionName}`}
            className="swatch"
            style={{ background: color }}
            disabled={selected.length === 0}
            onClick={() => recolor(color)}
          />
        ))}
      </div>
      <button aria-label={`Delete ${selectionName}`} disabled={selected.length === 0} onClick={onDelete}>
        Delete
      </button>
      <button
        aria-label={`Bring ${selectionName} to front`}
        title="Bring to front (])"
        disabled={selected.length === 0}
        onClick={() => onRestack("front")}
      >
        To front
      </button>
      <button
        aria-label={`Send ${selectionName} to back`}
        title="Send to back ([)"
        disabled={selected.length === 0}
        onClick={() => onRestack("back")}
      >
        To back
      </button>
      <span className="sep" />
      <button
        aria-label="Undo"
        title="Undo (Ctrl+Z)"
        disabled={!history.canUndo}
        onClick={() => history.undo()}
      >
        ↶
      </button>
      <button
        aria-label="Redo"
        title="Redo (Ctrl+Shift+Z)"
        disabled={!history.canRedo}
        onClick={() => history.redo()}
      >
        ↷
      </button>
    </div>
  );
}
