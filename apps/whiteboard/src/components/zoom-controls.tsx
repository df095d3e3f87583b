import { HOME, zoomAt, type Viewport } from "../viewport.js";

/** Props of {@link ZoomControls}. */
export interface ZoomControlsProps {
  view: Viewport;
  onView: (update: (view: Viewport) => Viewport) => void;
  /** Shows every shape (nothing dragged off screen is lost). */
  onFit: () => void;
  /** The middle of the canvas, the point buttons zoom around. */
  center: () => { x: number; y: number };
}

/** Zoom out / in around the middle, back to 100 %, and fit to content; in a corner of the board. */
export function ZoomControls({ view, onView, onFit, center }: ZoomControlsProps) {
  const percent = Math.round(view.scale * 100);
  return (
    <div className="zoom" role="group" aria-label="Zoom">
      <button
        aria-label="Zoom out"
        title="Zoom out (−)"
        onClick={() => onView((v) => zoomAt(v, center(), 1 / 1.25))}
      >
        −
      </button>
      <button
        aria-label={`Zoom ${percent}%, reset to 100%`}
        title="Reset zoom (0)"
        data-testid="zoom-level"
        onClick={() => onView(() => HOME)}
      >
        {percent}%
      </button>
      <button
        aria-label="Zoom in"
        title="Zoom in (+)"
        onClick={() => onView((v) => zoomAt(v, center(), 1.25))}
      >
        +
      </button>
      <button title="Show every shape (Shift+1)" onClick={onFit}>
        Fit to content
      </button>
    </div>
  );
}
