import type { Shape } from "./shared/schemas.js";

/** One change of one shape: its state before and after (null: the shape did not exist). */
export interface ShapeChange {
  readonly id: string;
  readonly before: Shape | null;
  readonly after: Shape | null;
}

/** How the history writes shapes back; each call is one mutation. */
export interface ShapeWriter {
  put(shape: Shape): void;
  patch(id: string, fields: Partial<Shape>): void;
  delete(id: string): void;
}

/**
 * Undo / redo of this user's own changes. Each step records the shapes it changed before and
 * after; undoing writes back only the fields the step changed, as new mutations, so an undo syncs
 * like any other edit and keeps what other users changed meanwhile (another field, another shape).
 */
export class UndoHistory {
  private done: ShapeChange[][] = [];
  private undone: ShapeChange[][] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly writer: ShapeWriter,
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
    for (const change of step.toReversed()) this.write(change.id, change.after, change.before);
    this.changed();
  }

  redo(): void {
    const step = this.undone.at(-1);
    if (!step) return;
    this.undone = this.undone.slice(0, -1);
    this.done = [...this.done, step];
    for (const change of step) this.write(change.id, change.before, change.after);
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

  private write(id: string, from: Shape | null, to: Shape | null): void {
    if (to === null) this.writer.delete(id);
    else if (from === null) this.writer.put(to);
    else {
      const fields = Object.fromEntries(
        Object.entries(to).filter(([key, value]) => from[key as keyof Shape] !== value),
      ) as Partial<Shape>;
      if (Object.keys(fields).length > 0) this.writer.patch(id, fields);
    }
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
