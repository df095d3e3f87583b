import { defineStore } from "@synced-store/core";
import { z } from "zod";
import { Box, COLORS, Id, Presence, Selection, Shape } from "./schemas.js";

/**
 * The whiteboard store, shared by browsers and the sync server: one space per board
 * (`whiteboard/{boardId}`). Moves and resizes are coalesced while pending, so a drag sends the
 * latest position a few times per push instead of every pointer event. Cursors, avatars and who
 * is editing which note are presence: ephemeral, per connection, never stored.
 */
export const whiteboard = defineStore({
  name: "whiteboard",
  keys: {
    "shapes/*": Shape,
    "$$pu/*/selection": Selection,
  },
  presence: Presence,
}).mutators({
  /** Creates a shape, or puts one back as it was (undo of a delete, redo of a create). */
  putShape: {
    args: Shape.omit({ createdBy: true }).extend({ createdBy: z.string().optional() }),
    run: async (tx, shape) => {
      const existing = await tx.get(`shapes/${shape.id}`);
      await tx.set(`shapes/${shape.id}`, { ...shape, createdBy: existing?.createdBy ?? tx.userId });
    },
  },
  /** Moves and/or resizes a shape to an absolute box (absolute, so coalescing keeps the last). */
  setBox: {
    args: Box,
    coalesce: (box) => box.id,
    run: async (tx, { id, ...box }) => {
      await tx.update(`shapes/${id}`, (shape) => {
        Object.assign(shape, box);
      });
    },
  },
  /** Sets some fields of a shape (undo and redo restore only the fields a step changed). */
  patchShape: {
    args: Shape.omit({ createdBy: true }).partial().extend({ id: Id }),
    run: async (tx, { id, ...fields }) => {
      await tx.update(`shapes/${id}`, (shape) => {
        Object.assign(shape, fields);
      });
    },
  },
  recolorShape: {
    args: z.object({ id: Id, color: z.enum(COLORS) }),
    run: async (tx, { id, color }) => {
      await tx.update(`shapes/${id}`, (shape) => {
        shape.color = color;
      });
    },
  },
  setText: {
    args: z.object({ id: Id, text: Shape.shape.text }),
    run: async (tx, { id, text }) => {
      await tx.update(`shapes/${id}`, (shape) => {
        shape.text = text;
      });
    },
  },
  deleteShape: {
    args: z.object({ id: Id }),
    run: async (tx, { id }) => {
      await tx.del(`shapes/${id}`);
    },
  },
  select: {
    args: Selection,
    run: async (tx, selection) => {
      await tx.set(tx.privateKey("selection"), selection);
    },
  },
});

/** The whiteboard's definition type, for typed hooks and servers. */
export type WhiteboardDefinition = typeof whiteboard;
