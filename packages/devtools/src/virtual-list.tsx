import { useLayoutEffect, useRef, useState, type ReactNode } from "react";

/** Props of {@link VirtualList}. */
export interface VirtualListProps {
  /** Number of rows. */
  readonly count: number;
  /** Height of every row, in px. @default 22 */
  readonly rowHeight?: number;
  /** Renders row `index` (only rows in or near the viewport are rendered). */
  readonly row: (index: number) => ReactNode;
  readonly label: string;
}

/** Rows rendered beyond each edge of the viewport, so scrolling shows no blank band. */
const OVERSCAN = 8;

/**
 * A list that renders only the rows in view (fixed row height), so 100,000 rows cost what 40 do.
 * Each row is absolutely positioned inside a spacer as tall as the whole list.
 */
export function VirtualList({ count, rowHeight = 22, row, label }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 400);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // A list that shrank (a search) leaves the old offset past its end: the browser clamps it.
  const top = Math.min(scrollTop, Math.max(0, count * rowHeight - height));
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} style={{ position: "absolute", top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}>
        {row(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="ssd-list"
      role="listbox"
      aria-label={label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div style={{ height: count * rowHeight, position: "relative" }}>{rows}</div>
    </div>
  );
}
