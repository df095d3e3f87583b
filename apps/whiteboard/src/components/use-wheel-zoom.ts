import { useEffect, type RefObject } from "react";
import { panBy, zoomAt, type Viewport } from "../viewport.js";

/** Whether the wheel should scroll `target` (a long note's text) instead of moving the board. */
function scrollsItself(target: EventTarget | null): boolean {
  const box = target instanceof Element ? target.closest(".sticky-text, .sticky-editor") : null;
  return box !== null && box.scrollHeight > box.clientHeight;
}

/**
 * The wheel pans the board; Ctrl/⌘+wheel (also what a trackpad pinch sends) zooms around the
 * pointer. Listened to directly, not through React, because it must be non-passive to stop the
 * page from scrolling or zooming itself.
 */
export function useWheelZoom(
  svg: RefObject<SVGSVGElement | null>,
  onView: (update: (view: Viewport) => Viewport) => void,
): void {
  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey && scrollsItself(e.target)) return;
      e.preventDefault();
      const rect = element.getBoundingClientRect();
      const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
      if (e.ctrlKey || e.metaKey) onView((view) => zoomAt(view, at, Math.exp(-e.deltaY / 200)));
      else onView((view) => panBy(view, -e.deltaX, -e.deltaY));
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [svg, onView]);
}
