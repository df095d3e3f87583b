import { StoreProvider, useSubscribe } from "@synced-store/react";
import { useCallback, useState, type ReactNode } from "react";
import { DIRECTORY_INSTANCE } from "../shared/definition.js";
import type { ListTombstone } from "../shared/schemas.js";
import { storeFor } from "../store-registry.js";
import { useAutoOpenList } from "../use-auto-open-list.js";
import { useHashList } from "../use-hash-list.js";
import { loadDisplayName } from "../user-name.js";
import { AccentPicker } from "./accent-picker.js";
import { DevPanel } from "./dev-panel.js";
import { ListSidebar } from "./list-sidebar.js";
import { RejectionToasts } from "./rejection-toasts.js";
import { SyncIndicator } from "./sync-indicator.js";
import { TodoListView } from "./todo-list-view.js";
import { UpdateBanner } from "./update-banner.js";

/** Props of {@link TodoApp}. */
export interface TodoAppProps {
  userId: string;
  onSignOut: () => void;
}

/**
 * The signed-in app: the directory store (lists, preferences) for the whole page, and the store
 * of the selected list for the main pane. Each is a separate space, synced on its own.
 */
export function TodoApp({ userId, onSignOut }: TodoAppProps) {
  const directory = storeFor(DIRECTORY_INSTANCE, userId);
  const [listId, selectList] = useHashList();
  const [notice, setNotice] = useState<string | null>(null);
  const [gone, setGone] = useState<ReadonlySet<string>>(() => new Set());
  useAutoOpenList(directory, userId, listId, selectList, gone);
  const listStore = listId === null || gone.has(listId) ? null : storeFor(listId, userId);
  // The list was deleted (here or by someone else): leave it, drop it from the directory (it may
  // not have synced yet), and say what happened.
  const onGone = useCallback(
    (tombstone: ListTombstone) => {
      if (listId === null) return;
      setGone((ids) => new Set(ids).add(listId));
      void directory.mutate.deleteList({ id: listId });
      setNotice(
        tombstone.by === userId
          ? `You deleted “${tombstone.name}”.`
          : `${tombstone.by} deleted “${tombstone.name}”, so you've left it.`,
      );
      selectList(null, { replace: true });
    },
    [directory, listId, userId, selectList],
  );
  const stores = listStore ? [directory, listStore] : [directory];
  return (
    <StoreProvider store={directory}>
      <Themed>
        <UpdateBanner stores={stores} />
        <header className="topbar">
          <h1>Todo</h1>
          <SyncIndicator stores={stores} />
          <AccentPicker />
          <span className="user" data-testid="user" title={userId}>
            {loadDisplayName(userId)}
          </span>
          <button className="link" onClick={onSignOut}>
            Switch user
          </button>
        </header>
        <div className="layout">
          <ListSidebar selectedId={listId} onSelect={selectList} />
          <main className="pane">
            <div role="status" className="notice-area">
              {notice && (
                <p className="notice" data-testid="notice">
                  {notice}
                  <button className="link" aria-label="Dismiss notice" onClick={() => setNotice(null)}>
                    ✕
                  </button>
                </p>
              )}
            </div>
            {listStore && listId !== null ? (
              <StoreProvider store={listStore}>
                <TodoListView
                  key={listId}
                  listId={listId}
                  userId={userId}
                  directory={directory}
                  onGone={onGone}
                />
                <RejectionToasts />
              </StoreProvider>
            ) : (
              <p className="empty">No list open. Create one with “New list…”, or pick one.</p>
            )}
          </main>
        </div>
        <RejectionToasts />
        <DevPanel stores={stores} />
      </Themed>
    </StoreProvider>
  );
}

/** Applies the user's private accent colour (from the directory store) to the page. */
function Themed({ children }: { children: ReactNode }) {
  const prefs = useSubscribe((tx) => tx.get(tx.privateKey("prefs")), []);
  return (
    <div className="app" data-accent={prefs?.accent ?? "indigo"}>
      {children}
    </div>
  );
}
