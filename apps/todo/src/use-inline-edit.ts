import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent, type RefObject } from "react";

/** What {@link useInlineEdit} returns. */
export interface InlineEdit {
  /** The text being edited, or null when not editing. */
  readonly draft: string | null;
  /** Starts editing from `value` (also to put back a text the server refused). */
  start(value: string): void;
  /** The element that shows the value and starts the edit: focus returns to it after Enter or Escape. */
  readonly returnFocusTo: RefObject<HTMLElement | null>;
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
 * after Enter or Escape blurs it, and that blur must neither save twice nor undo a cancel. After
 * Enter or Escape, focus goes back to the element that shows the value (a keyboard user stays in
 * place); after a click elsewhere it stays where the click put it.
 */
export function useInlineEdit(onSave: (value: string) => void): InlineEdit {
  const [draft, setDraft] = useState<string | null>(null);
  const ended = useRef(false);
  const refocus = useRef(false);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (draft !== null || !refocus.current) return;
    refocus.current = false;
    returnFocusTo.current?.focus();
  }, [draft]);
  const end = (save: boolean, byKey: boolean) => {
    if (ended.current || draft === null) return;
    ended.current = true;
    refocus.current = byKey;
    setDraft(null);
    if (save) onSave(draft);
  };
  return {
    draft,
    start(value) {
      ended.current = false;
      setDraft(value);
    },
    returnFocusTo,
    inputProps: {
      value: draft ?? "",
      autoFocus: true,
      onChange: (e) => setDraft(e.target.value),
      onBlur: () => end(true, false),
      onKeyDown: (e) => {
        if (e.key !== "Enter" && e.key !== "Escape") return;
        // Without this, the key's press would also reach the button that gets focus back, and
        // press it: the edit would start again.
        e.preventDefault();
        end(e.key === "Enter", true);
      },
    },
  };
}
