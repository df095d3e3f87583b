import { useAction } from "@synced-store/react";
import { useState } from "react";

/** Props of {@link ListFooter}. */
export interface ListFooterProps {
  remaining: number;
  completed: number;
}

/**
 * Counts, and "clear completed": a server action, not a mutator, so it runs once on the server
 * (which also counts the cleared todos in server-only stats) and needs a connection.
 */
export function ListFooter({ remaining, completed }: ListFooterProps) {
  const action = useAction();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clear = async () => {
    setBusy(true);
    try {
      const { removed, totalCleared } = await action.clearCompleted({});
      setMessage(`Cleared ${removed} on the server (${totalCleared} in this list's lifetime).`);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <footer className="list-footer">
      <span data-testid="remaining">
        {remaining} {remaining === 1 ? "item" : "items"} left
      </span>
      <button disabled={completed === 0 || busy} onClick={() => void clear()}>
        Clear completed
      </button>
      {message && (
        <span className="note" data-testid="clear-result">
          {message}
        </span>
      )}
    </footer>
  );
}
