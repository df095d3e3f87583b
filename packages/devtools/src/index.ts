/**
 * `@synced-store/devtools`: a React panel showing what is inside Synced-Store stores while the
 * app runs (data, pending mutations, rejections, subscriptions, network, presence).
 */
export { SyncedStoreDevtools, type SyncedStoreDevtoolsProps } from "./devtools.js";
