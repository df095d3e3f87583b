import { canWrite, validateValue, type CompiledPattern } from "@synced-store/core/internal";
import {
  PermissionError,
  ValidationError,
  type KeySchemas,
  type ScanEntry,
  type ScanOptions,
  type WriteTransaction,
} from "@synced-store/core";
import type { Limits } from "./limits.js";
import { LimitError } from "./wire-error.js";
import { DELETED, deepFreeze, type SpaceState, type WriteLayer } from "./space-state.js";
import { isStorableText, utf8Length } from "../util/storable-text.js";

/** Who a server transaction runs for, and with which rights. */
export interface ServerTransactionContext {
  readonly userId: string;
  /** The pushing client; `""` for actions. */
  readonly clientId: string;
  /** Actions run with full access: any key, `$$so/` and every user's `$$pu/` included. */
  readonly fullAccess: boolean;
  readonly patterns: readonly CompiledPattern[];
  readonly limits: Pick<Limits, "maxKeyLength" | "maxValueBytes">;
}

/**
 * The `WriteTransaction` mutators and actions get on the server (`location: "server"`). Reads see
 * the cached space, then the batch's earlier accepted mutations, then this transaction's own
 * writes; writes are validated (key family, schema, visibility, size), normalized to plain JSON
 * and kept in `writes` until the engine decides to keep or drop them.
 */
export class ServerWriteTransaction implements WriteTransaction<KeySchemas> {
  readonly location = "server" as const;
  readonly userId: string;
  readonly clientId: string;
  /** This transaction's writes: key → JSON value or `DELETED`. */
  readonly writes: WriteLayer = new Map();

  constructor(
    private readonly ctx: ServerTransactionContext,
    private readonly state: SpaceState,
    private readonly batch: WriteLayer,
  ) {
    this.userId = ctx.userId;
    this.clientId = ctx.clientId;
  }

  /** Synchronous read through the layers. */
  read(key: string): unknown {
    const own = this.writes.get(key);
    if (own !== undefined) return own === DELETED ? undefined : own;
    const batched = this.batch.get(key);
    if (batched !== undefined) return batched === DELETED ? undefined : batched;
    return this.state.values.get(key);
  }

  get(key: string): Promise<never> {
    return Promise.resolve(this.read(key) as never);
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.read(key) !== undefined);
  }

  scan(options: ScanOptions<string> = {}): Promise<Array<ScanEntry<never>>> {
    const prefix = options.prefix ?? "";
    const from = options.start !== undefined && options.start > prefix ? options.start : prefix;
    const limit = options.limit ?? Infinity;
    const out: Array<ScanEntry<never>> = [];
    if (limit <= 0) return Promise.resolve(out);
    // Overlay keys in range, sorted; merged with the cache's ordered keys.
    const overlay = [...new Set([...this.batch.keys(), ...this.writes.keys()])]
      .filter((k) => k >= from && k.startsWith(prefix))
      .sort();
    const base = this.state.values.cursor(from);
    const baseKey = () => {
      const key = base.peek();
      return key !== undefined && key.startsWith(prefix) ? key : undefined;
    };
    let i = 0;
    while (out.length < limit) {
      const b = baseKey();
      const o = overlay[i];
      if (b === undefined && o === undefined) break;
      let key: string;
      if (o === undefined || (b !== undefined && b < o)) {
        key = b!;
        base.advance();
      } else {
        key = o;
        i++;
        if (b === o) base.advance();
      }
      const value = this.read(key);
      if (value !== undefined) out.push({ key, value: value as never });
    }
    return Promise.resolve(out);
  }

  privateKey<TRest extends string>(rest: TRest): `$$pu/${string}/${TRest}` {
    return `$$pu/${this.userId}/${rest}`;
  }

  set(key: string, value: unknown): Promise<void> {
    try {
      this.#write(key, value);
      return Promise.resolve();
    } catch (error) {
      return rejected(error);
    }
  }

  del(key: string): Promise<boolean> {
    try {
      this.#checkKey(key);
      const existed = this.read(key) !== undefined;
      this.writes.set(key, DELETED);
      return Promise.resolve(existed);
    } catch (error) {
      return rejected(error);
    }
  }

  update(key: string, recipe: (draft: never) => unknown): Promise<never> {
    try {
      const current = this.read(key);
      if (current === undefined) return Promise.resolve(undefined as never);
      // A mutable copy stands in for an immer draft: mutate it, or return a replacement.
      const draft = structuredClone(current);
      const returned = recipe(draft as never);
      this.#write(key, returned === undefined ? draft : returned);
      return Promise.resolve(this.read(key) as never);
    } catch (error) {
      return rejected(error);
    }
  }

  #write(key: string, value: unknown): void {
    this.#checkKey(key);
    const parsed = validateValue(this.ctx.patterns, key, value);
    // What is stored, poked and cached must be the same plain JSON.
    const json = JSON.stringify(parsed ?? null);
    if (json.length > this.ctx.limits.maxValueBytes) {
      throw new LimitError(
        "value_too_large",
        `Value for ${JSON.stringify(key)} is ${json.length} characters of JSON, over the limit of ${this.ctx.limits.maxValueBytes}`,
      );
    }
    this.writes.set(key, deepFreeze(JSON.parse(json) as unknown));
  }

  #checkKey(key: string): void {
    if (!isStorableText(key)) {
      throw new ValidationError("unknown_key", `Key ${JSON.stringify(key)} holds U+0000 or a lone surrogate`);
    }
    const bytes = utf8Length(key);
    if (bytes > this.ctx.limits.maxKeyLength) {
      throw new LimitError(
        "key_too_large",
        `Key of ${bytes} bytes (UTF-8) is over the limit of ${this.ctx.limits.maxKeyLength}`,
      );
    }
    if (!this.ctx.fullAccess && !canWrite(this.userId, key, "server")) {
      throw new PermissionError(`User ${JSON.stringify(this.userId)} may not write ${JSON.stringify(key)}`);
    }
  }
}

function rejected(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}
