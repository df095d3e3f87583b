import { useAction } from "@synced-store/react";
import { useState } from "react";
import type { AuditEntry, Stats } from "../shared/schemas.js";

/**
 * The list's server-only stats and audit trail (`$$so/…`). Clients never receive those keys, so
 * the panel asks the server for them through the `activity` action.
 */
export function ActivityPanel() {
  const action = useAction();
  const [data, setData] = useState<{ stats: Stats; recent: AuditEntry[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setData(await action.activity({ limit: 8 }));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <details className="activity" onToggle={(e) => e.currentTarget.open && void load()}>
      <summary>Server activity</summary>
      <button className="link" onClick={() => void load()}>
        Refresh
      </button>
      {error && <p className="error">{error}</p>}
      {data && (
        <div data-testid="activity">
          <p>
            {data.stats.added} added · {data.stats.cleared} cleared
          </p>
          <ol>
            {data.recent.toReversed().map((entry) => (
              <li key={`${entry.at}-${entry.what}`}>
                <time>{new Date(entry.at).toLocaleTimeString()}</time> {entry.userId} {entry.what}
              </li>
            ))}
          </ol>
        </div>
      )}
    </details>
  );
}
