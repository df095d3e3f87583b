import { useRef, useState } from "react";
import { MAX_NOTE_TEXT, SERVER_MAX_NOTE_TEXT, type Shape } from "../shared/schemas.js";

/** Props of {@link StickyEditor}. */
export interface StickyEditorProps {
  shape: Shape;
  /** What the editor starts with: the note's text, or a text the server refused, to fix. */
  initialText: string;
  onEnd: () => void;
  onCommit: (shape: Shape, text: string) => void;
  /** Each change of the text, so the others read along while it is typed. */
  onDraft: (text: string) => void;
}

/**
 * The text editor of a sticky note: Enter (or leaving it) saves, Shift+Enter adds a line, Escape
 * cancels. It shows the server's length limit while typing; long text scrolls inside the note.
 */
export function StickyEditor({ shape, initialText, onEnd, onCommit, onDraft }: StickyEditorProps) {
  const [text, setText] = useState(initialText);
  // Ends once: removing the editor after Enter or Escape blurs it, and that blur must neither
  // commit twice nor undo a cancel.
  const ended = useRef(false);
  const end = (commit: boolean) => {
    if (ended.current) return;
    ended.current = true;
    onEnd();
    if (commit && text !== shape.text) onCommit(shape, text);
  };
  const over = text.length > SERVER_MAX_NOTE_TEXT;
  const limitId = `limit-${shape.id}`;
  return (
    <div className="sticky-editing">
      <textarea
        className="sticky-editor"
        aria-label="Note text"
        aria-describedby={limitId}
        autoFocus
        value={text}
        maxLength={MAX_NOTE_TEXT}
        onFocus={(e) => e.currentTarget.setSelectionRange(text.length, text.length)}
        onPointerDown={(e) => e.stopPropagation()}
        onChange={(e) => {
          setText(e.target.value);
          onDraft(e.target.value);
        }}
        onBlur={() => end(true)}
        onKeyDown={(e) => {
          if (e.key === "Escape") end(false);
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            end(true);
          }
        }}
      />
      <span id={limitId} className={over ? "limit over" : "limit"} data-testid="note-limit">
        {text.length}/{SERVER_MAX_NOTE_TEXT}
        <span role="status">{over ? ` · the server accepts at most ${SERVER_MAX_NOTE_TEXT}` : ""}</span>
      </span>
    </div>
  );
}
