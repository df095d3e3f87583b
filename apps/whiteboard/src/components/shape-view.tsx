import { memo, useRef, useState, type PointerEvent } from "react";
import type { Shape } from "../shared/schemas.js";

/** How a pointer-down on a shape starts a gesture. */
export type DragMode = "move" | "resize";

/** Props of {@link ShapeView}. */
export interface ShapeViewProps {
  shape: Shape;
  selected: boolean;
  editing: boolean;
  onPointerDown: (event: PointerEvent, shape: Shape, mode: DragMode, selected: boolean) => void;
  onEdit: (id: string | null) => void;
  onTextCommit: (shape: Shape, text: string) => void;
}

/** One shape; memoised, so a drag of one shape re-renders only that shape. */
export const ShapeView = memo(function ShapeView(props: ShapeViewProps) {
  const { shape, selected, editing, onPointerDown, onEdit } = props;
  const { x, y, w, h, color } = shape;
  return (
    <g
      className={`shape shape-${shape.kind}`}
      data-testid="shape"
      data-kind={shape.kind}
      data-id={shape.id}
      onPointerDown={(e) => onPointerDown(e, shape, "move", selected)}
      onDoubleClick={() => shape.kind === "sticky" && onEdit(shape.id)}
    >
      {shape.kind === "ellipse" ? (
        <ellipse cx={x + w / 2} cy={y + h / 2} rx={w / 2} ry={h / 2} fill={color} />
      ) : (
        <rect x={x} y={y} width={w} height={h} rx={shape.kind === "sticky" ? 4 : 10} fill={color} />
      )}
      {shape.kind === "sticky" && (
        <foreignObject x={x} y={y} width={w} height={h}>
          {editing ? <StickyEditor {...props} /> : <div className="sticky-text">{shape.text}</div>}
        </foreignObject>
      )}
      {selected && (
        <>
          <rect className="selection" x={x - 4} y={y - 4} width={w + 8} height={h + 8} />
          <rect
            className="handle"
            data-testid="resize-handle"
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

function StickyEditor({ shape, onEdit, onTextCommit }: ShapeViewProps) {
  const [text, setText] = useState(shape.text);
  // Ends once: removing the editor after Enter or Escape blurs it, and that blur must neither
  // commit twice nor undo a cancel.
  const ended = useRef(false);
  const end = (commit: boolean) => {
    if (ended.current) return;
    ended.current = true;
    onEdit(null);
    if (commit && text !== shape.text) onTextCommit(shape, text);
  };
  return (
    <textarea
      className="sticky-editor"
      aria-label="Note text"
      autoFocus
      value={text}
      maxLength={500}
      onPointerDown={(e) => e.stopPropagation()}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => end(true)}
      onKeyDown={(e) => {
        if (e.key === "Escape") end(false);
        if (e.key === "Enter" && !e.shiftKey) {
          e.preventDefault();
          end(true);
        }
      }}
    />
  );
}
