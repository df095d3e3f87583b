/// <reference types="vite/client" />
// The names the README's abridged snippets use without declaring them, typed from the apps they
// quote. scripts/compile-blocks/compile-doc-blocks.ts imports into each snippet the ones it uses.
import type { ReactNode } from "react";
import type { PresencePeer, Store } from "@synced-store/core";
import type { TodoDefinition } from "../src/shared/definition.js";
import type { serverTodo as ServerTodo } from "../server/server-definition.js";
import type { WhiteboardDefinition } from "../../whiteboard/src/shared/definition.js";

export { defineStore } from "@synced-store/core";
export {
  StoreProvider,
  useAction,
  useMutate,
  useOthers,
  usePresence,
  useRejections,
  useSubscribe,
  useSyncStatus,
} from "@synced-store/react";
export { lazy, Suspense } from "react";
export { z } from "zod";
export { Filter, Stats, Todo } from "../src/shared/schemas.js";
export { Shape } from "../../whiteboard/src/shared/schemas.js";
export { todo } from "../src/shared/definition.js";

export declare const serverTodo: typeof ServerTodo;
export declare function verifyToken(auth: unknown): Promise<{ userId: string; expiresAt: number }>;
export declare function fetchToken(userId: string): Promise<string>;
export declare const listId: string;
export declare const userId: string;
export declare const token: string;
/** A todo list's store (README section 4). */
export declare const store: Store<TodoDefinition>;
/** A whiteboard's store (README section 6). */
export declare const board: Store<WhiteboardDefinition>;
export declare const directory: Store<TodoDefinition>;
export declare const listStore: Store<TodoDefinition>;
export declare function Cursor(props: { peer: PresencePeer }): ReactNode;
