import type { Inspection, NetworkEntry, StoreInspector } from "@synced-store/core";
import { useState } from "react";
import { formatBytes, formatTime } from "../format.js";
import { VirtualList } from "../virtual-list.js";

/** The frame log, newest first, with pause (the view holds still while recording goes on). */
export function NetworkTab({ inspector, inspection }: { inspector: StoreInspector; inspection: Inspection }) {
  const [paused, setPaused] = useState<readonly NetworkEntry[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const entries = [...(paused ?? inspection.network)].reverse();
  const picked = entries.find((e) => e.seq === selected);
  const frames = inspection.network.filter((e) => e.kind === "frame");
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

function prettyFrame(text: string, truncated: boolean): string {
  if (truncated) return `${text}\n… (cut)`;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
