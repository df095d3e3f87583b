import { useOthers, type Others } from "@synced-store/react";
import type { WhiteboardDefinition } from "../shared/definition.js";
import type { Shape } from "../shared/schemas.js";

interface Editor {
  readonly user: string;
  readonly color: string;
  readonly draft: string | null;
}

/** For each note someone else is editing, the users editing it, their colour and typed text. */
function editorsByNote(others: Others<WhiteboardDefinition>): [string, Editor[]][] {
  const byNote = new Map<string, Editor[]>();
  for (const { userId, state } of others) {
    if (state.editing === null) continue;
    const list = byNote.get(state.editing) ?? [];
    const draft = state.draft ?? null;
    const known = list.find((e) => e.user === userId);
    // Two tabs of one user: the one that typed something shows.
    if (!known) list.push({ user: userId, color: state.color, draft });
    else if (known.draft === null && draft !== null) list.splice(list.indexOf(known), 1, { ...known, draft });
    byNote.set(state.editing, list);
  }
  return [...byNote];
}

/**
 * "Who is editing which sticky": an outline in the editor's colour around each note another user
 * is editing, with their name, and the text as they type it (not yet saved) in place of the
 * note's. Re-renders when who edits what, or what they type, changes; not as cursors move.
 */
export function RemoteEditing({ shapes }: { shapes: readonly Shape[] }) {
  const editing = useOthers(editorsByNote);
  return (
    <g className="remote-editing" pointerEvents="none">
      {editing.map(([noteId, editors]) => {
        const note = shapes.find((s) => s.id === noteId);
        const first = editors[0];
        if (note === undefined || first === undefined) return null;
        const names = editors.map((e) => e.user).join(", ");
        const typed = editors.find((e) => e.draft !== null);
        return (
          <g key={noteId}>
            {typed && (
              <foreignObject x={note.x} y={note.y} width={note.w} height={note.h}>
                <div
                  className="sticky-text remote-draft"
                  data-testid="remote-draft"
                  data-note={noteId}
                  style={{ background: note.color }}
                >
                  {typed.draft}
                  <span className="caret" style={{ background: typed.color }} />
                </div>
              </foreignObject>
            )}
            <g data-testid="remote-editing" data-note={noteId} data-users={names}>
              <rect
                x={note.x - 3}
                y={note.y - 3}
                width={note.w + 6}
                height={note.h + 6}
                rx={6}
                fill="none"
                stroke={first.color}
                strokeWidth={2}
                strokeDasharray="6 3"
              />
              <text x={note.x} y={note.y - 8} className="cursor-label" fill={first.color}>
                {typed ? `${names} typing…` : `${names} editing`}
              </text>
            </g>
          </g>
        );
      })}
    </g>
  );
}
