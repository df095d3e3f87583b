import { StoreProvider, useMutate, useSubscribe } from "@synced-store/react";
import { useCallback, useMemo, useState } from "react";
import { useEditingPresence } from "../board-presence.js";
import type { Shape } from "../shared/schemas.js";
import { storeFor } from "../store-registry.js";
import { UndoHistory } from "../undo-history.js";
import { useShortcuts } from "../use-shortcuts.js";
import { Canvas } from "./canvas.js";
import { DevPanel } from "./dev-panel.js";
import { PresenceBar } from "./presence-bar.js";
import { RejectionToasts } from "./rejection-toasts.js";
import { SyncBadge } from "./sync-badge.js";
import { Toolbar } from "./toolbar.js";

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
  const [editingId, setEditingId] = useState<string | null>(null);
  useEditingPresence(userId, editingId);
  const selectedIds = (selection?.ids ?? []).filter((id) => shapes.some((s) => s.id === id));
  const deleteSelection = useCallback(() => {
    const selected = shapes.filter((s) => selectedIds.includes(s.id));
    history.record(selected.map((s) => ({ id: s.id, before: s, after: null })));
    for (const s of selected) void mutate.deleteShape({ id: s.id });
  }, [history, mutate, shapes, selectedIds]);
  useShortcuts({ undo: () => history.undo(), redo: () => history.redo(), deleteSelection });
  return (
    <div className="board">
      <header className="topbar">
        <h1>Whiteboard</h1>
        <Toolbar shapes={shapes} selectedIds={selectedIds} history={history} onDelete={deleteSelection} />
        <SyncBadge />
        <PresenceBar userId={userId} />
        <button className="link" onClick={onSignOut}>
          Switch user
        </button>
      </header>
      <Canvas
        shapes={shapes}
        selectedIds={selectedIds}
        history={history}
        userId={userId}
        editingId={editingId}
        onEdit={setEditingId}
      />
      <RejectionToasts />
    </div>
  );
}
