import { useRef, useState, type ChangeEvent, type KeyboardEvent } from "react";

/** What {@link useInlineEdit} returns. */
export interface InlineEdit {
  /** The text being edited, or null when not editing. */
  readonly draft: string | null;
  /** Starts editing from `value`. */
  start(value: string): void;
  /** Props for the `<input>` shown while editing. */
  readonly inputProps: {
    value: string;
    autoFocus: true;
    onChange: (e: ChangeEvent<HTMLInputElement>) => void;
    onBlur: () => void;
    onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
  };
}

/**
 * Edit-in-place: Enter or leaving the field saves, Escape cancels. Ends once: removing the input
 * after Enter or Escape blurs it, and that blur must neither save twice nor undo a cancel.
 */
export function useInlineEdit(onSave: (value: string) => void): InlineEdit {
  const [draft, setDraft] = useState<string | null>(null);
  const ended = useRef(false);
  const end = (save: boolean) => {
    if (ended.current || draft === null) return;
    ended.current = true;
    setDraft(null);
    if (save) onSave(draft);
  };
  return {
    draft,
    start(value) {
      ended.current = false;
      setDraft(value);
    },
    inputProps: {
      value: draft ?? "",
      autoFocus: true,
      onChange: (e) => setDraft(e.target.value),
      onBlur: () => end(true),
      onKeyDown: (e) => {
        if (e.key === "Enter") end(true);
        if (e.key === "Escape") end(false);
      },
    },
  };
}
