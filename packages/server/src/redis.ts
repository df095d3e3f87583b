/**
 * `@synced-store/server/redis`: the Redis pub/sub bus (ioredis), an alternative to PostgreSQL
 * LISTEN/NOTIFY for telling server processes about each other's commits.
 */
export { createRedisBus, type RedisBusOptions } from "./bus/redis-bus.js";
