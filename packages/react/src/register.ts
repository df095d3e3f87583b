import type { AnyStoreDefinition } from "@synced-store/core";

/**
 * Declaration-merging hook that types every hook without generics. An app registers its store
 * definition once:
 *
 * @example
 * declare module "@synced-store/react" {
 *   interface Register { definition: typeof todo }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Register {}

/** The definition an app registered through {@link Register}, else any definition. */
export type RegisteredDefinition = Register extends { definition: infer D extends AnyStoreDefinition }
  ? D
  : AnyStoreDefinition;
