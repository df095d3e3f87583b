import { useMutate } from "@synced-store/react";
import { useCallback, useMemo, useRef, type PointerEvent } from "react";
import { frameThrottle } from "../frame-throttle.js";
import type { Box, Shape } from "../shared/schemas.js";
import type { UndoHistory } from "../undo-history.js";
import { useCursorPresence } from "../board-presence.js";
import { RemoteCursors } from "./remote-cursors.js";
import { RemoteEditing } from "./remote-editing.js";
import { ShapeView, type DragMode } from "./shape-view.js";

/** Props of {@link Canvas}. */
export interface CanvasProps {
  shapes: readonly Shape[];
  selectedIds: readonly string[];
  history: UndoHistory;
  userId: string;
  editingId: string | null;
  onEdit: (id: string | null) => void;
}

interface Drag {
  readonly mode: DragMode;
  readonly shape: Shape;
  /** Where the pointer went down, in client coordinates (immune to the canvas moving). */
  readonly from: { x: number; y: number };
  last: Box | null;
}

const MIN_SIZE = 20;

/**
 * The drawing surface. A drag writes the shape's box at most once per frame (`setBox`, which the
 * store also coalesces while pending), so others see it move live; the whole gesture is one undo
 * step. Pointer moves also stream this client's cursor to the others.
 */
export function Canvas({ shapes, selectedIds, history, userId, editingId, onEdit }: CanvasProps) {
  const mutate = useMutate();
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);
  const setCursor = useCursorPresence(userId);
  const boxes = useMemo(() => frameThrottle((box: Box) => void mutate.setBox(box)), [mutate]);

  const point = (e: PointerEvent) => {
    const rect = svg.current?.getBoundingClientRect();
    return { x: Math.round(e.clientX - (rect?.left ?? 0)), y: Math.round(e.clientY - (rect?.top ?? 0)) };
  };

  const startDrag = useCallback(
    (e: PointerEvent, shape: Shape, mode: DragMode, selected: boolean) => {
      e.stopPropagation();
      // Captured by the shape itself, so moves keep coming while a double-click still reaches it.
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = { mode, shape, from: { x: e.clientX, y: e.clientY }, last: null };
      if (!selected) void mutate.select({ ids: [shape.id] });
    },
    // Stable, so a drag re-renders only the dragged shape's memoised view.
    [mutate],
  );

  const onPointerMove = (e: PointerEvent) => {
    setCursor(point(e));
    const d = drag.current;
    if (!d) return;
    const dx = Math.round(e.clientX - d.from.x);
    const dy = Math.round(e.clientY - d.from.y);
    const { id, x, y, w, h } = d.shape;
    d.last =
      d.mode === "move"
        ? { id, x: x + dx, y: y + dy, w, h }
        : { id, x, y, w: Math.max(MIN_SIZE, w + dx), h: Math.max(MIN_SIZE, h + dy) };
    boxes.schedule(d.last);
  };

  const endDrag = () => {
    const d = drag.current;
    drag.current = null;
    boxes.flush();
    if (d?.last) history.record([{ id: d.shape.id, before: d.shape, after: { ...d.shape, ...d.last } }]);
  };

  const commitText = useCallback(
    (shape: Shape, text: string) => {
      history.record([{ id: shape.id, before: shape, after: { ...shape, text } }]);
      void mutate.setText({ id: shape.id, text });
    },
    [history, mutate],
  );

  return (
    <svg
      ref={svg}
      className="canvas"
      data-testid="canvas"
      onPointerDown={() => {
        onEdit(null);
        if (selectedIds.length > 0) void mutate.select({ ids: [] });
      }}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onPointerLeave={() => setCursor(null)}
    >
      <defs>
        <pattern id="grid" width="24" height="24" patternUnits="userSpaceOnUse">
          <circle cx="1" cy="1" r="1" fill="#d4d7de" />
        </pattern>
      </defs>
      <rect width="100%" height="100%" fill="url(#grid)" />
      {shapes.map((shape) => (
        <ShapeView
          key={shape.id}
          shape={shape}
          selected={selectedIds.includes(shape.id)}
          editing={editingId === shape.id}
          onPointerDown={startDrag}
          onEdit={onEdit}
          onTextCommit={commitText}
        />
      ))}
      <RemoteEditing shapes={shapes} />
      <RemoteCursors userId={userId} />
    </svg>
  );
}
