import { useOthers } from "@synced-store/react";
import { userColor } from "../user-color.js";

/** Who is on the board: one avatar per user with a connection here. Cursor moves never re-render it. */
export function PresenceBar({ userId }: { userId: string }) {
  const users = useOthers((others) => [...new Set([userId, ...others.map((p) => p.userId)])].sort());
  return (
    <ul className="presence" aria-label="People here" data-testid="presence">
      {users.map((user) => (
        <li
          key={user}
          title={user}
          style={{ background: userColor(user) }}
          className={user === userId ? "me" : ""}
        >
          {user.slice(0, 2).toUpperCase()}
          <span className="name">{user === userId ? `${user} (you)` : user}</span>
        </li>
      ))}
    </ul>
  );
}
