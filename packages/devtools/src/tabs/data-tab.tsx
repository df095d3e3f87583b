import type { Inspection, StoreInspector } from "@synced-store/core";
import { useDeferredValue, useMemo, useState } from "react";
import { formatInline, formatJson } from "../format.js";
import { VirtualList } from "../virtual-list.js";

/** Keys of the store, searchable and virtualised, with base vs. pending for the selected one. */
export function DataTab({ inspector, inspection }: { inspector: StoreInspector; inspection: Inspection }) {
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  // Typing stays instant; filtering 100,000 keys follows at React's pace.
  const deferred = useDeferredValue(search);
  // Recomputed when the store changed (a new inspection) or the search did; cached by the inspector.
  const keys = useMemo(() => inspector.keys(deferred), [inspector, inspection, deferred]);
  const entry = selected === null ? undefined : inspector.entry(selected);
  return (
    <div className="ssd-split">
      <div className="ssd-col">
        <div className="ssd-meta">
          <input
            type="search"
            aria-label="Search keys"
            placeholder="Search keys…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <span data-testid="ssd-key-count">
            <b>{keys.length}</b> keys{deferred ? " match" : ""} · {inspection.baseKeyCount} in base ·{" "}
            {inspection.pendingKeyCount} written by pending
          </span>
        </div>
        <VirtualList
          label="Keys"
          count={keys.length}
          row={(i) => {
            const key = keys[i]!;
            const e = inspector.entry(key);
            return (
              <div
                className="ssd-row ssd-mono"
                role="option"
                aria-selected={key === selected}
                data-testid="ssd-key"
                onClick={() => setSelected(key)}
              >
                <span>{key}</span>
                {e && e.pending !== "none" && (
                  <span className={`ssd-badge ssd-${e.pending}`}>
                    pending {e.pending === "set" ? "write" : "delete"}
                  </span>
                )}
                <span className="ssd-muted">{formatInline(e?.value, 80)}</span>
              </div>
            );
          }}
        />
      </div>
      <div className="ssd-col" data-testid="ssd-entry">
        {entry === undefined ? (
          <p className="ssd-muted">
            {selected === null ? "Pick a key to see its value." : `${selected} is gone.`}
          </p>
        ) : (
          <div style={{ overflow: "auto" }}>
            <h4 className="ssd-mono">{entry.key}</h4>
            <h4>Base (server state at v{inspection.baseVersion})</h4>
            <pre data-testid="ssd-entry-base">{formatJson(entry.base, "(not in base)")}</pre>
            <h4>
              With pending mutations{" "}
              {entry.pending === "none" ? (
                <span className="ssd-muted">(unchanged)</span>
              ) : (
                <span className={`ssd-badge ssd-${entry.pending}`}>{entry.pending}</span>
              )}
            </h4>
            <pre data-testid="ssd-entry-value">{formatJson(entry.value, "(deleted)")}</pre>
          </div>
        )}
      </div>
    </div>
  );
}
