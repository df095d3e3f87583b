import { useMutate, useSyncStatus } from "@synced-store/react";
import { useEffect, useMemo, useRef } from "react";
import { frameThrottle } from "./frame-throttle.js";
import { userColor } from "./user-color.js";

type Cursor = { x: number; y: number } | null;

/**
 * Announces this client on the board and streams its cursor, at most once per frame. The server
 * deletes the presence key when the connection closes, so the client announces itself again each
 * time it comes online.
 */
export function usePresence(userId: string): (cursor: Cursor) => void {
  const mutate = useMutate();
  const { connection } = useSyncStatus();
  const color = userColor(userId);
  const last = useRef<Cursor>(null);
  const throttle = useMemo(
    () => frameThrottle((cursor: Cursor) => void mutate.setPresence({ color, cursor })),
    [mutate, color],
  );
  useEffect(() => {
    if (connection === "online") void mutate.setPresence({ color, cursor: last.current });
  }, [connection, mutate, color]);
  return (cursor) => {
    last.current = cursor;
    throttle.schedule(cursor);
  };
}
