/**
 * `@synced-store/react`: the provider and the hooks. `exports.test.ts` snapshots this list.
 */
export type { Register, RegisteredDefinition } from "./register.js";
export { StoreProvider, useStore, type StoreProviderProps } from "./store-provider.js";
export { useSubscribe, type UseSubscribeOptions } from "./use-subscribe.js";
export { useMutate } from "./use-mutate.js";
export { useAction } from "./use-action.js";
export { useSyncStatus } from "./use-sync-status.js";
export { usePresence } from "./use-presence.js";
export { useOthers, type Others } from "./use-others.js";
export { useRejections, type Rejections } from "./use-rejections.js";
