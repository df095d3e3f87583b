import type { Shape } from "./shared/schemas.js";

/** One change of one shape: its state before and after (null: the shape did not exist). */
export interface ShapeChange {
  readonly id: string;
  readonly before: Shape | null;
  readonly after: Shape | null;
}

/** Writes a shape state back: puts the shape, or deletes it for null. */
export type ApplyShape = (id: string, state: Shape | null) => void;

/**
 * Undo / redo of this user's own changes. Each step records the shapes it changed before and
 * after, and undoing writes the "before" states back as new mutations, so an undo syncs like any
 * other edit and never touches what other users changed on other shapes.
 */
export class UndoHistory {
  private done: ShapeChange[][] = [];
  private undone: ShapeChange[][] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly apply: ApplyShape,
    /** Oldest steps are forgotten past this many. @default 200 */
    private readonly limit = 200,
  ) {}

  /** Records a step the user just made; clears the redo stack. */
  record(step: ShapeChange[]): void {
    if (step.length === 0) return;
    this.done = [...this.done, step].slice(-this.limit);
    this.undone = [];
    this.changed();
  }

  undo(): void {
    const step = this.done.at(-1);
    if (!step) return;
    this.done = this.done.slice(0, -1);
    this.undone = [...this.undone, step];
    for (const change of step.toReversed()) this.apply(change.id, change.before);
    this.changed();
  }

  redo(): void {
    const step = this.undone.at(-1);
    if (!step) return;
    this.undone = this.undone.slice(0, -1);
    this.done = [...this.done, step];
    for (const change of step) this.apply(change.id, change.after);
    this.changed();
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Calls `listener` after every change of the stacks. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
