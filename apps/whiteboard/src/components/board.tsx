import { StoreProvider, useMutate, useSubscribe } from "@synced-store/react";
import { useCallback, useMemo, useRef, useState } from "react";
import { useEditingPresence } from "../board-presence.js";
import { restacked } from "../selection.js";
import type { Shape } from "../shared/schemas.js";
import { storeFor } from "../store-registry.js";
import { UndoHistory } from "../undo-history.js";
import { useShortcuts } from "../use-shortcuts.js";
import { fitTo, HOME, panBy, placeInView, zoomAt, type Viewport } from "../viewport.js";
import { Canvas } from "./canvas.js";
import { DevPanel } from "./dev-panel.js";
import { PresenceBar } from "./presence-bar.js";
import { RejectionToasts } from "./rejection-toasts.js";
import type { Editing } from "./shape-view.js";
import { SyncBadge } from "./sync-badge.js";
import { Toolbar } from "./toolbar.js";
import { ZoomControls } from "./zoom-controls.js";

/** Props of {@link Board}. */
export interface BoardProps {
  boardId: string;
  userId: string;
  onSignOut: () => void;
}

/** One board for one user: its store for everything below. */
export function Board({ boardId, userId, onSignOut }: BoardProps) {
  const store = storeFor(boardId, userId);
  return (
    <StoreProvider store={store}>
      <BoardContent userId={userId} onSignOut={onSignOut} />
      <DevPanel stores={[store]} />
    </StoreProvider>
  );
}

const byZ = (a: Shape, b: Shape) => a.z - b.z || a.id.localeCompare(b.id);

/** How far an arrow key pans the board when nothing is selected, in screen pixels. */
const PAN_STEP = 40;

function BoardContent({ userId, onSignOut }: { userId: string; onSignOut: () => void }) {
  const mutate = useMutate();
  const shapes = useSubscribe(
    async (tx) => (await tx.scan({ prefix: "shapes/" })).map((e) => e.value).sort(byZ),
    [],
    { default: [] as Shape[] },
  );
  const selection = useSubscribe((tx) => tx.get(tx.privateKey("selection")), []);
  const history = useMemo(
    () =>
      new UndoHistory({
        put: (shape) => void mutate.putShape(shape),
        patch: (id, fields) => void mutate.patchShape({ id, ...fields }),
        delete: (id) => void mutate.deleteShape({ id }),
      }),
    [mutate],
  );
  const [editing, setEditing] = useState<Editing | null>(null);
  const onDraft = useEditingPresence(userId, editing?.id ?? null);
  // A refused note opens again with its text, unless the user is editing another one by now.
  const reopen = useCallback((refused: Editing) => setEditing((current) => current ?? refused), []);
  const [view, setView] = useState<Viewport>(HOME);
  const svg = useRef<SVGSVGElement>(null);
  const canvasSize = useCallback(() => {
    const rect = svg.current?.getBoundingClientRect();
    return { w: rect?.width ?? window.innerWidth, h: rect?.height ?? window.innerHeight };
  }, []);
  const center = useCallback(() => {
    const { w, h } = canvasSize();
    return { x: w / 2, y: h / 2 };
  }, [canvasSize]);
  const selectedIds = (selection?.ids ?? []).filter((id) => shapes.some((s) => s.id === id));
  const selected = shapes.filter((s) => selectedIds.includes(s.id));

  /** Writes `after` for each selected shape as one undo step. */
  const change = (after: (s: Shape) => Shape, write: (s: Shape) => void) => {
    history.record(selected.map((s) => ({ id: s.id, before: s, after: after(s) })));
    for (const s of selected) write(after(s));
  };
  const restack = (to: "front" | "back") => {
    const z = new Map(restacked(shapes, new Set(selectedIds), to).map((r) => [r.id, r.z]));
    change(
      (s) => ({ ...s, z: z.get(s.id) ?? s.z }),
      (s) => void mutate.patchShape({ id: s.id, z: s.z }),
    );
  };
  const fit = () => setView(fitTo(shapes, canvasSize()));
  const deleteAll = () => {
    history.record(selected.map((s) => ({ id: s.id, before: s, after: null })));
    for (const s of selected) void mutate.deleteShape({ id: s.id });
  };

  useShortcuts({
    undo: () => history.undo(),
    redo: () => history.redo(),
    deleteSelection: deleteAll,
    selectAll: () => void mutate.select({ ids: shapes.map((s) => s.id) }),
    deselect: () => selectedIds.length > 0 && void mutate.select({ ids: [] }),
    nudge: (dx, dy) => {
      if (selected.length === 0) setView((v) => panBy(v, -dx * PAN_STEP, -dy * PAN_STEP));
      else
        change(
          (s) => ({ ...s, x: s.x + dx, y: s.y + dy }),
          ({ id, x, y, w, h }) => void mutate.setBox({ id, x, y, w, h }),
        );
    },
    restack,
    zoom: (to) => setView((v) => (to === "reset" ? HOME : zoomAt(v, center(), to === "in" ? 1.25 : 0.8))),
    fit,
  });
  return (
    <div className="board">
      <header className="topbar">
        <h1>Whiteboard</h1>
        <Toolbar
          shapes={shapes}
          selectedIds={selectedIds}
          history={history}
          onDelete={deleteAll}
          onRestack={restack}
          place={(size) => placeInView(view, canvasSize(), size, Math.random() - 0.5)}
        />
        <SyncBadge />
        <PresenceBar userId={userId} />
        <button className="link" onClick={onSignOut}>
          Switch user
        </button>
      </header>
      <main className="stage">
        <Canvas
          svg={svg}
          shapes={shapes}
          selectedIds={selectedIds}
          history={history}
          userId={userId}
          editing={editing}
          onEdit={setEditing}
          onRefused={reopen}
          onDraft={onDraft}
          view={view}
          onView={setView}
        />
        <ZoomControls view={view} onView={setView} onFit={fit} center={center} />
      </main>
      <RejectionToasts />
    </div>
  );
}
