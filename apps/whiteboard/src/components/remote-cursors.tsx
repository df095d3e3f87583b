import { useSubscribe } from "@synced-store/react";
import type { Presence } from "../shared/schemas.js";

/** The cursors of the other users on the board. */
export function RemoteCursors({ userId }: { userId: string }) {
  const others = useSubscribe(
    async (tx) =>
      (await tx.scan({ prefix: "presence/" }))
        .map((e) => e.value)
        .filter((p) => p.userId !== userId && p.cursor !== null),
    [userId],
    { default: [] as Presence[] },
  );
  return (
    <g className="cursors" pointerEvents="none">
      {others.map((p) => (
        <g
          key={p.clientId}
          className="cursor"
          data-testid="remote-cursor"
          data-user={p.userId}
          transform={`translate(${p.cursor?.x ?? 0} ${p.cursor?.y ?? 0})`}
        >
          <path
            d="M0 0 L0 16 L4.5 12 L8 19 L10.5 18 L7 11 L13 11 Z"
            fill={p.color}
            stroke="white"
            strokeWidth="1.2"
          />
          <text x="14" y="24" className="cursor-label" fill={p.color}>
            {p.userId}
          </text>
        </g>
      ))}
    </g>
  );
}
