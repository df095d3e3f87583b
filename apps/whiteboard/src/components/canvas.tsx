import { MutationRejectedError } from "@synced-store/core";
import { useMutate } from "@synced-store/react";
import { useCallback, useMemo, useRef, useState, type PointerEvent, type RefObject } from "react";
import { useCursorPresence } from "../board-presence.js";
import { frameThrottle } from "../frame-throttle.js";
import { inMarquee, toggled } from "../selection.js";
import type { Box, Shape } from "../shared/schemas.js";
import type { UndoHistory } from "../undo-history.js";
import { panBy, toBoard, zoomAt, type Point, type Viewport } from "../viewport.js";
import { RemoteCursors } from "./remote-cursors.js";
import { RemoteEditing } from "./remote-editing.js";
import { ShapeView, type DragMode, type Editing } from "./shape-view.js";
import { useWheelZoom } from "./use-wheel-zoom.js";

/** Props of {@link Canvas}. */
export interface CanvasProps {
  svg: RefObject<SVGSVGElement | null>;
  shapes: readonly Shape[];
  selectedIds: readonly string[];
  history: UndoHistory;
  userId: string;
  editing: Editing | null;
  onEdit: (editing: Editing | null) => void;
  /** The server refused a note's new text: open it again with that text, to fix. */
  onRefused: (editing: Editing) => void;
  onDraft: (text: string) => void;
  view: Viewport;
  onView: (update: (view: Viewport) => Viewport) => void;
}

/** The gesture under way, started by a pointer-down. */
type Gesture =
  | { kind: "move" | "resize"; shapes: readonly Shape[]; from: Point; last: Box[] }
  | { kind: "marquee"; from: Point; to: Point; base: readonly string[] }
  | { kind: "pan"; from: Point; view: Viewport }
  | { kind: "pinch"; a: Point; b: Point; view: Viewport };

const MIN_SIZE = 20;
/** A finger held this long on the empty board, moving less than `HOLD_SLOP` px, draws a marquee. */
const HOLD_MS = 450;
const HOLD_SLOP = 8;
const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const middle = (a: Point, b: Point) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * The drawing surface, a view onto the board that pans and zooms. A drag moves every selected
 * shape, writing their boxes at most once per frame (`setBox`, which the store also coalesces
 * while pending) so others see them move live; the gesture is one undo step. Dragging the empty
 * board draws a marquee (mouse, or a finger held still first) or pans (touch, middle button); two
 * fingers pinch-zoom.
 * Pointer moves also stream this client's cursor, in board coordinates, to the others.
 */
export function Canvas(props: CanvasProps) {
  const { svg, shapes, selectedIds, history, userId, editing, onEdit, onRefused, view, onView } = props;
  const mutate = useMutate();
  const gesture = useRef<Gesture | null>(null);
  // Touches on the empty board, by pointer id: two of them are a pinch.
  const touches = useRef(new Map<number, Point>());
  const [marquee, setMarquee] = useState<{ from: Point; to: Point } | null>(null);
  // Turns a touch pan that has not moved into a marquee (a phone has no drag-to-select otherwise).
  const hold = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancelHold = () => clearTimeout(hold.current);
  const setCursor = useCursorPresence(userId);
  const boxes = useMemo(
    () => frameThrottle((moved: Box[]) => moved.forEach((box) => void mutate.setBox(box))),
    [mutate],
  );
  useWheelZoom(svg, onView);
  // Read by the stable callbacks below, so a drag re-renders only the dragged shapes.
  const latest = useRef({ view, selectedIds, shapes });
  latest.current = { view, selectedIds, shapes };

  const screen = (e: { clientX: number; clientY: number }): Point => {
    const rect = svg.current?.getBoundingClientRect();
    return { x: e.clientX - (rect?.left ?? 0), y: e.clientY - (rect?.top ?? 0) };
  };
  const rounded = (p: Point) => ({ x: Math.round(p.x), y: Math.round(p.y) });

  const startDrag = useCallback(
    (e: PointerEvent, shape: Shape, mode: DragMode, selected: boolean) => {
      e.stopPropagation();
      const ids = latest.current.selectedIds;
      if (e.shiftKey && mode === "move") {
        void mutate.select({ ids: toggled(ids, shape.id) });
        return;
      }
      // Captured by the shape itself, so moves keep coming while a double-click still reaches it.
      e.currentTarget.setPointerCapture(e.pointerId);
      const moving =
        mode === "move" && selected ? latest.current.shapes.filter((s) => ids.includes(s.id)) : [shape];
      gesture.current = { kind: mode, shapes: moving, from: { x: e.clientX, y: e.clientY }, last: [] };
      if (!selected) void mutate.select({ ids: [shape.id] });
    },
    [mutate],
  );

  const selectByKey = useCallback(
    (shape: Shape, additive: boolean) => {
      const ids = latest.current.selectedIds;
      void mutate.select({ ids: additive ? toggled(ids, shape.id) : [shape.id] });
    },
    [mutate],
  );

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    onEdit(null);
    const at = screen(e);
    if (e.pointerType === "touch") {
      touches.current.set(e.pointerId, at);
      const [a, b] = [...touches.current.values()];
      if (a && b) {
        cancelHold();
        gesture.current = { kind: "pinch", a, b, view };
        return;
      }
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    if (e.pointerType === "touch" || e.button === 1) {
      const pan: Gesture = { kind: "pan", from: at, view };
      gesture.current = pan;
      if (e.pointerType === "touch") hold.current = setTimeout(() => holdToMarquee(pan), HOLD_MS);
      return;
    }
    const from = toBoard(view, at);
    const base = e.shiftKey ? selectedIds : [];
    gesture.current = { kind: "marquee", from, to: from, base };
    if (!e.shiftKey && selectedIds.length > 0) void mutate.select({ ids: [] });
  };

  const holdToMarquee = (pan: Gesture & { kind: "pan" }) => {
    if (gesture.current !== pan) return;
    onView(() => pan.view); // undo the few pixels the finger moved while held
    const from = toBoard(pan.view, pan.from);
    gesture.current = { kind: "marquee", from, to: from, base: [] };
    setMarquee({ from, to: from });
    if (latest.current.selectedIds.length > 0) void mutate.select({ ids: [] });
  };

  const onPointerMove = (e: PointerEvent) => {
    const at = screen(e);
    setCursor(rounded(toBoard(view, at)));
    const g = gesture.current;
    if (!g) return;
    if (g.kind === "pinch") {
      if (!touches.current.has(e.pointerId)) return;
      touches.current.set(e.pointerId, at);
      const [a, b] = [...touches.current.values()];
      if (!a || !b) return;
      const from = middle(g.a, g.b);
      const to = middle(a, b);
      const factor = distance(a, b) / Math.max(1, distance(g.a, g.b));
      onView(() => zoomAt(panBy(g.view, to.x - from.x, to.y - from.y), to, factor));
    } else if (g.kind === "pan") {
      if (distance(at, g.from) > HOLD_SLOP) cancelHold();
      onView(() => panBy(g.view, at.x - g.from.x, at.y - g.from.y));
    } else if (g.kind === "marquee") {
      g.to = toBoard(view, at);
      setMarquee({ from: g.from, to: g.to });
    } else {
      const dx = Math.round((e.clientX - g.from.x) / view.scale);
      const dy = Math.round((e.clientY - g.from.y) / view.scale);
      g.last = g.shapes.map(({ id, x, y, w, h }) =>
        g.kind === "move"
          ? { id, x: x + dx, y: y + dy, w, h }
          : { id, x, y, w: Math.max(MIN_SIZE, w + dx), h: Math.max(MIN_SIZE, h + dy) },
      );
      boxes.schedule(g.last);
    }
  };

  const endGesture = (e: PointerEvent) => {
    cancelHold();
    touches.current.delete(e.pointerId);
    const g = gesture.current;
    gesture.current = null;
    if (g?.kind === "marquee") {
      setMarquee(null);
      const hit = inMarquee(shapes, g.from, g.to).filter((id) => !g.base.includes(id));
      if (hit.length > 0) void mutate.select({ ids: [...g.base, ...hit] });
    } else if (g?.kind === "move" || g?.kind === "resize") {
      boxes.flush();
      const after = new Map(g.last.map((b) => [b.id, b]));
      history.record(
        g.shapes.flatMap((s) => {
          const box = after.get(s.id);
          return box ? [{ id: s.id, before: s, after: { ...s, ...box } }] : [];
        }),
      );
    }
  };

  const commitText = useCallback(
    (shape: Shape, text: string) => {
      history.record([{ id: shape.id, before: shape, after: { ...shape, text } }]);
      void mutate.setText({ id: shape.id, text }).then(({ confirmed }) =>
        confirmed.catch((error: unknown) => {
          if (error instanceof MutationRejectedError) onRefused({ id: shape.id, text });
        }),
      );
    },
    [history, mutate, onRefused],
  );

  const transform = `translate(${view.x} ${view.y}) scale(${view.scale})`;
  return (
    <svg
      ref={svg}
      className="canvas"
      data-testid="canvas"
      data-view={`${Math.round(view.x)},${Math.round(view.y)},${view.scale.toFixed(3)}`}
      aria-label="Board"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endGesture}
      onPointerCancel={endGesture}
      onPointerLeave={() => setCursor(null)}
      // A held finger draws a marquee: no browser menu over it (it would also eat the next tap).
      onContextMenu={(e) => e.preventDefault()}
    >
      <defs>
        <pattern id="grid" width="24" height="24" patternUnits="userSpaceOnUse" patternTransform={transform}>
          <circle cx="1" cy="1" r="1" fill="#d4d7de" />
        </pattern>
      </defs>
      <rect width="100%" height="100%" fill="url(#grid)" />
      <g className="board-content" transform={transform}>
        {shapes.map((shape) => (
          <ShapeView
            key={shape.id}
            shape={shape}
            selected={selectedIds.includes(shape.id)}
            editing={editing?.id === shape.id ? editing : null}
            onPointerDown={startDrag}
            onKeySelect={selectByKey}
            onEdit={onEdit}
            onTextCommit={commitText}
            onDraft={props.onDraft}
          />
        ))}
        {marquee && (
          <rect
            className="marquee"
            data-testid="marquee"
            x={Math.min(marquee.from.x, marquee.to.x)}
            y={Math.min(marquee.from.y, marquee.to.y)}
            width={Math.abs(marquee.to.x - marquee.from.x)}
            height={Math.abs(marquee.to.y - marquee.from.y)}
          />
        )}
        <RemoteEditing shapes={shapes} />
        <RemoteCursors userId={userId} />
      </g>
    </svg>
  );
}
