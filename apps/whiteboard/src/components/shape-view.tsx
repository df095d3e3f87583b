import { memo, type KeyboardEvent, type PointerEvent } from "react";
import type { Shape } from "../shared/schemas.js";
import { StickyEditor } from "./sticky-editor.js";

/** How a pointer-down on a shape starts a gesture. */
export type DragMode = "move" | "resize";

/** The note being edited here, and the text its editor starts with. */
export interface Editing {
  readonly id: string;
  /** A text the server refused, put back to fix; otherwise the note's own text. */
  readonly text?: string;
}

/** Props of {@link ShapeView}. */
export interface ShapeViewProps {
  shape: Shape;
  selected: boolean;
  editing: Editing | null;
  onPointerDown: (event: PointerEvent, shape: Shape, mode: DragMode, selected: boolean) => void;
  /** Enter or Space on the focused shape: select it (shift: add it), or edit a note. */
  onKeySelect: (shape: Shape, additive: boolean) => void;
  onEdit: (editing: Editing | null) => void;
  onTextCommit: (shape: Shape, text: string) => void;
  onDraft: (text: string) => void;
}

const KIND_NAMES: Record<Shape["kind"], string> = {
  rect: "Rectangle",
  ellipse: "Ellipse",
  sticky: "Sticky note",
};

/** What a screen reader calls the shape: its kind, and a note's text. */
export const shapeName = (shape: Shape) =>
  shape.kind === "sticky" ? `Sticky note “${shape.text.slice(0, 40)}”` : KIND_NAMES[shape.kind];

/** One shape; memoised, so a drag of one shape re-renders only that shape. */
export const ShapeView = memo(function ShapeView(props: ShapeViewProps) {
  const { shape, selected, editing, onPointerDown, onEdit, onKeySelect } = props;
  const { x, y, w, h, color } = shape;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === "Enter" && shape.kind === "sticky") {
      e.preventDefault();
      onEdit({ id: shape.id });
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onKeySelect(shape, e.shiftKey);
    }
  };
  return (
    <g
      className={`shape shape-${shape.kind}${editing ? " editing" : ""}`}
      data-testid="shape"
      data-kind={shape.kind}
      data-id={shape.id}
      // Reachable by Tab, named after what it is; not while its editor (a control itself) is open.
      {...(editing
        ? {}
        : { role: "button", tabIndex: 0, "aria-label": shapeName(shape), "aria-pressed": selected })}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => onPointerDown(e, shape, "move", selected)}
      onDoubleClick={() => shape.kind === "sticky" && onEdit({ id: shape.id })}
    >
      {shape.kind === "ellipse" ? (
        <ellipse cx={x + w / 2} cy={y + h / 2} rx={w / 2} ry={h / 2} fill={color} />
      ) : (
        <rect x={x} y={y} width={w} height={h} rx={shape.kind === "sticky" ? 4 : 10} fill={color} />
      )}
      {shape.kind === "sticky" && (
        <foreignObject x={x} y={y} width={w} height={h}>
          {editing ? (
            <StickyEditor
              shape={shape}
              initialText={editing.text ?? shape.text}
              onEnd={() => onEdit(null)}
              onCommit={props.onTextCommit}
              onDraft={props.onDraft}
            />
          ) : (
            <div className="sticky-text" data-testid="sticky-text">
              {shape.text}
            </div>
          )}
        </foreignObject>
      )}
      {selected && (
        <>
          <rect className="selection" x={x - 4} y={y - 4} width={w + 8} height={h + 8} />
          <rect
            className="handle"
            data-testid="resize-handle"
            aria-hidden
            x={x + w - 2}
            y={y + h - 2}
            width={12}
            height={12}
            onPointerDown={(e) => onPointerDown(e, shape, "resize", selected)}
          />
        </>
      )}
    </g>
  );
});
