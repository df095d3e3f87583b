import { z } from "zod";

/** Value schemas of the whiteboard. */

/** Client-made ids: mutators are deterministic, so ids come in their arguments. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "ids use letters, digits, _ and -");

/** Shape kinds the board draws. */
export const SHAPE_KINDS = ["rect", "ellipse", "sticky"] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

/** The palette; a shape's colour is one of these. */
export const COLORS = ["#fde68a", "#fca5a5", "#a5b4fc", "#86efac", "#f0abfc", "#e5e7eb"] as const;

/** Longest note text the client's mutators accept. */
export const MAX_NOTE_TEXT = 500;

/**
 * Longest note text the server accepts: stricter than the client (asymmetric trust), so longer
 * notes are rejected. One constant: the server enforces it and the note editor shows it.
 */
export const SERVER_MAX_NOTE_TEXT = 140;

const coordinate = z.number().finite().min(-100_000).max(100_000);
const size = z.number().finite().min(10).max(5_000);

/** One shape, at `shapes/{id}`. Later `z` draws on top. */
export const Shape = z.object({
  id: Id,
  kind: z.enum(SHAPE_KINDS),
  x: coordinate,
  y: coordinate,
  w: size,
  h: size,
  color: z.enum(COLORS),
  text: z.string().max(MAX_NOTE_TEXT),
  z: z.number(),
  createdBy: z.string(),
});
export type Shape = z.infer<typeof Shape>;

/** Geometry of a shape, as moves and resizes set it. */
export const Box = z.object({ id: Id, x: coordinate, y: coordinate, w: size, h: size });
export type Box = z.infer<typeof Box>;

/**
 * What each connection shows the others (`store.presence`): its colour, its cursor on the board
 * and the note it is editing. Ephemeral: never stored, gone for everyone when the connection ends.
 */
export const Presence = z.object({
  color: z.string().max(32),
  cursor: z.object({ x: coordinate, y: coordinate }).nullable(),
  /** The sticky note being edited, so the others see who is writing in it. */
  editing: Id.nullable(),
  /** The text being typed in that note, before it is saved, so the others read along. */
  draft: z.string().max(MAX_NOTE_TEXT).nullable(),
});
export type Presence = z.infer<typeof Presence>;

/** A user's selection, private (`$$pu/{user}/selection`): others never see what you selected. */
export const Selection = z.object({ ids: z.array(Id).max(200) });
export type Selection = z.infer<typeof Selection>;
