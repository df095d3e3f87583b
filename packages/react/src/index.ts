export type { Register, RegisteredDefinition } from "./register.js";
export { StoreProvider, useStore, type StoreProviderProps } from "./store-provider.js";
export { useSubscribe, type UseSubscribeOptions } from "./use-subscribe.js";
export { useMutate } from "./use-mutate.js";
export { useAction } from "./use-action.js";
export { useSyncStatus } from "./use-sync-status.js";
export { usePresence } from "./use-presence.js";
export { useOthers, type Others } from "./use-others.js";
export { useRejections, type Rejections } from "./use-rejections.js";
export { RejectionLog, rejectionLogFor } from "./rejection-log.js";
export {
  SharedQuery,
  SubscriptionCache,
  subscriptionCacheFor,
  type CacheTimers,
  type QuerySnapshot,
  type SubscriptionCacheOptions,
} from "./subscription-cache.js";
export { replaceEqualDeep } from "./replace-equal-deep.js";
