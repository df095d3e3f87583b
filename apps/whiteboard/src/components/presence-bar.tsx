import { useSubscribe } from "@synced-store/react";
import { userColor } from "../user-color.js";

/** Who is on the board: one avatar per user with at least one connected client. */
export function PresenceBar({ userId }: { userId: string }) {
  const users = useSubscribe(
    async (tx) => {
      const present = (await tx.scan({ prefix: "presence/" })).map((e) => e.value.userId);
      return [...new Set([userId, ...present])].sort();
    },
    [userId],
    { default: [userId] },
  );
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
