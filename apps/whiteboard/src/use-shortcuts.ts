import { useEffect } from "react";

/** Handlers of {@link useShortcuts}. */
export interface Shortcuts {
  undo: () => void;
  redo: () => void;
  deleteSelection: () => void;
  selectAll: () => void;
  deselect: () => void;
  /** Arrow keys: moves the selection by (dx, dy) board pixels, or pans the board without one. */
  nudge: (dx: number, dy: number) => void;
  restack: (to: "front" | "back") => void;
  /** +, − and 0: zoom in, out, back to 100 %. */
  zoom: (to: "in" | "out" | "reset") => void;
  fit: () => void;
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The board's keys, not while typing: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo,
 * Delete/Backspace delete, Ctrl/⌘+A select all, Escape deselect, arrows nudge (Shift: by 10),
 * ] and [ bring to front / send to back, + − 0 zoom, Shift+1 fit to content.
 */
export function useShortcuts(handlers: Shortcuts): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest("input, textarea, [contenteditable]")) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const arrow = ARROWS[e.key];
      let handled = true;
      if (mod && key === "z") {
        if (e.shiftKey) handlers.redo();
        else handlers.undo();
      } else if (mod && key === "y") handlers.redo();
      else if (mod && key === "a") handlers.selectAll();
      else if (mod) handled = false;
      else if (arrow) handlers.nudge(arrow[0] * (e.shiftKey ? 10 : 1), arrow[1] * (e.shiftKey ? 10 : 1));
      else if (e.key === "Delete" || e.key === "Backspace") handlers.deleteSelection();
      else if (e.key === "Escape") handlers.deselect();
      else if (e.key === "]") handlers.restack("front");
      else if (e.key === "[") handlers.restack("back");
      else if (e.key === "+" || e.key === "=") handlers.zoom("in");
      else if (e.key === "-") handlers.zoom("out");
      else if (e.key === "0") handlers.zoom("reset");
      else if (e.key === "!" || (e.shiftKey && e.code === "Digit1")) handlers.fit();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [handlers]);
}
