/** Props of {@link TextLimit}. */
export interface TextLimitProps {
  /** Id for the field's `aria-describedby`. */
  id: string;
  length: number;
  max: number;
}

/**
 * The server's length limit, shown while typing (before a submit the server would refuse): a
 * count, and a sentence, announced to screen readers, once the text is over the limit.
 */
export function TextLimit({ id, length, max }: TextLimitProps) {
  const over = length > max;
  return (
    <span id={id} className={over ? "limit over" : "limit"} data-testid="text-limit">
      {length}/{max}
      <span role="status">{over ? ` · the server accepts at most ${max} characters` : ""}</span>
    </span>
  );
}
