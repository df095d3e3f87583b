/**
 * Before a todo row goes away, moves focus where a keyboard user expects it: the next todo's
 * text, else the previous one's, else the new-todo field (focus would otherwise fall to the page).
 */
export function focusAfterRemoval(row: HTMLElement): void {
  const neighbour = row.nextElementSibling ?? row.previousElementSibling;
  const target = neighbour?.querySelector<HTMLElement>("button.text") ?? document.getElementById("new-todo");
  target?.focus();
}
