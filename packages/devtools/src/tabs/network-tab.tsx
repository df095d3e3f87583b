import type { Inspection, NetworkEntry, StoreInspector } from "@synced-store/core";
import { useState } from "react";
import { formatBytes, formatTime } from "../format.js";
import { VirtualList } from "../virtual-list.js";

/** The frame log, newest first, with pause (the view holds still while recording goes on). */
export function NetworkTab({ inspector, inspection }: { inspector: StoreInspector; inspection: Inspection }) {
  const [paused, setPaused] = useState<readonly NetworkEntry[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = paused ?? inspection.network;
  const entries = shown.filter((e) => needle === "" || describe(e).toLowerCase().includes(needle)).reverse();
  const picked = entries.find((e) => e.seq === selected);
  // Byte totals come from the shown entries too, so a paused view holds still entirely.
  const frames = shown.filter((e) => e.kind === "frame");
  const bytes = (direction: "in" | "out") =>
    frames.reduce((n, e) => n + (e.kind === "frame" && e.direction === direction ? e.bytes : 0), 0);
  return (
    <div className="ssd-split">
      <div className="ssd-col">
        <div className="ssd-meta">
          <button
            className="ssd-btn"
            aria-pressed={paused !== null}
            onClick={() => setPaused(paused ? null : inspection.network)}
          >
            {paused ? "Resume" : "Pause"}
          </button>
          <button className="ssd-btn" onClick={() => inspector.clearNetwork()}>
            Clear
          </button>
          <input
            type="search"
            aria-label="Filter frames"
            placeholder="Filter: poke, push #3, v12…"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <span data-testid="ssd-network-count">
            <b>{entries.length}</b> entries{paused ? " (paused)" : ""} · ↓ {formatBytes(bytes("in"))} · ↑{" "}
            {formatBytes(bytes("out"))}
          </span>
        </div>
        <VirtualList
          label="Network log"
          count={entries.length}
          row={(i) => {
            const e = entries[i]!;
            return (
              <div
                className="ssd-row ssd-mono"
                role="option"
                aria-selected={e.seq === selected}
                data-testid="ssd-network-row"
                onClick={() => setSelected(e.seq)}
              >
                <span className="ssd-muted">{formatTime(e.at)}</span>
                {e.kind === "frame" ? (
                  <>
                    <span className={e.direction === "in" ? "ssd-in" : "ssd-out"}>
                      {e.direction === "in" ? "↓" : "↑"} {e.type}
                    </span>
                    <span>{e.summary}</span>
                    <span className="ssd-muted">{formatBytes(e.bytes)}</span>
                  </>
                ) : (
                  <span className="ssd-badge">
                    {e.transport} {e.step}
                    {e.detail ? ` ${e.detail}` : ""}
                  </span>
                )}
              </div>
            );
          }}
        />
      </div>
      <div className="ssd-col">
        {picked?.kind === "frame" ? (
          <pre data-testid="ssd-frame">{prettyFrame(picked.text, picked.truncated)}</pre>
        ) : (
          <p className="ssd-muted">Pick a frame to see it.</p>
        )}
      </div>
    </div>
  );
}

/** The text a filter matches: direction, type and summary of a frame, or the connection step. */
function describe(e: NetworkEntry): string {
  if (e.kind === "frame") return `${e.direction === "in" ? "in ↓" : "out ↑"} ${e.type} ${e.summary}`;
  return `${e.transport} ${e.step} ${e.detail ?? ""}`;
}

function prettyFrame(text: string, truncated: boolean): string {
  if (truncated) return `${text}\n… (cut)`;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
