import { StoreProvider, useSubscribe } from "@synced-store/react";
import type { ReactNode } from "react";
import { DIRECTORY_INSTANCE } from "../shared/definition.js";
import { storeFor } from "../store-registry.js";
import { useHashList } from "../use-hash-list.js";
import { AccentPicker } from "./accent-picker.js";
import { DevPanel } from "./dev-panel.js";
import { ListSidebar } from "./list-sidebar.js";
import { RejectionToasts } from "./rejection-toasts.js";
import { SyncIndicator } from "./sync-indicator.js";
import { TodoListView } from "./todo-list-view.js";

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
  const listStore = listId === null ? null : storeFor(listId, userId);
  return (
    <StoreProvider store={directory}>
      <Themed>
        <header className="topbar">
          <h1>Todo</h1>
          <SyncIndicator stores={listStore ? [directory, listStore] : [directory]} />
          <AccentPicker />
          <span className="user" data-testid="user">
            {userId}
          </span>
          <button className="link" onClick={onSignOut}>
            Switch user
          </button>
        </header>
        <div className="layout">
          <ListSidebar selectedId={listId} onSelect={selectList} />
          <main className="pane">
            {listStore && listId !== null ? (
              <StoreProvider store={listStore}>
                <TodoListView
                  key={listId}
                  listId={listId}
                  directory={directory}
                  onDeleted={() => selectList(null)}
                />
                <RejectionToasts />
              </StoreProvider>
            ) : (
              <p className="empty">Create a list, or pick one on the left.</p>
            )}
          </main>
        </div>
        <RejectionToasts />
        <DevPanel stores={listStore ? [directory, listStore] : [directory]} />
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
