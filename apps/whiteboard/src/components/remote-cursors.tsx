import { useOthers } from "@synced-store/react";
import { memo } from "react";
import type { Presence } from "../shared/schemas.js";

interface CursorProps {
  readonly userId: string;
  readonly color: string;
  readonly cursor: NonNullable<Presence["cursor"]>;
}

/** One remote cursor; memoised on its position, so a moving cursor re-renders alone. */
const RemoteCursor = memo(function RemoteCursor({ userId, color, cursor }: CursorProps) {
  return (
    <g
      className="cursor"
      data-testid="remote-cursor"
      data-user={userId}
      transform={`translate(${cursor.x} ${cursor.y})`}
    >
      <path
        d="M0 0 L0 16 L4.5 12 L8 19 L10.5 18 L7 11 L13 11 Z"
        fill={color}
        stroke="white"
        strokeWidth="1.2"
      />
      <text x="14" y="24" className="cursor-label" fill={color}>
        {userId}
      </text>
    </g>
  );
});

/** The cursors of the other users on the board (this user's other tabs show none). */
export function RemoteCursors({ userId }: { userId: string }) {
  const others = useOthers();
  return (
    <g className="cursors" pointerEvents="none">
      {others.map(({ clientId, userId: who, state }) =>
        who === userId || state.cursor === null ? null : (
          <RemoteCursor key={clientId} userId={who} color={state.color} cursor={state.cursor} />
        ),
      )}
    </g>
  );
}
