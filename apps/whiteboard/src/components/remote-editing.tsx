import { useOthers, type Others } from "@synced-store/react";
import type { WhiteboardDefinition } from "../shared/definition.js";
import type { Shape } from "../shared/schemas.js";

/** For each note someone else is editing, the users editing it and their colour. */
function editorsByNote(others: Others<WhiteboardDefinition>): [string, { user: string; color: string }[]][] {
  const byNote = new Map<string, { user: string; color: string }[]>();
  for (const { userId, state } of others) {
    if (state.editing === null) continue;
    const list = byNote.get(state.editing) ?? [];
    if (!list.some((e) => e.user === userId)) list.push({ user: userId, color: state.color });
    byNote.set(state.editing, list);
  }
  return [...byNote];
}

/**
 * "Who is editing which sticky": an outline in the editor's colour around each note another user
 * is editing, with their name. Re-renders only when who edits what changes, not as cursors move.
 */
export function RemoteEditing({ shapes }: { shapes: readonly Shape[] }) {
  const editing = useOthers(editorsByNote);
  return (
    <g className="remote-editing" pointerEvents="none">
      {editing.map(([noteId, editors]) => {
        const note = shapes.find((s) => s.id === noteId);
        if (note === undefined || editors[0] === undefined) return null;
        const names = editors.map((e) => e.user).join(", ");
        return (
          <g key={noteId} data-testid="remote-editing" data-note={noteId} data-users={names}>
            <rect
              x={note.x - 3}
              y={note.y - 3}
              width={note.w + 6}
              height={note.h + 6}
              rx={6}
              fill="none"
              stroke={editors[0].color}
              strokeWidth={2}
              strokeDasharray="6 3"
            />
            <text x={note.x} y={note.y - 8} className="cursor-label" fill={editors[0].color}>
              {`${names} editing`}
            </text>
          </g>
        );
      })}
    </g>
  );
}
