import type { z } from "zod";
import type { WriteTransaction } from "../store/transaction.js";
import { compilePatterns, type CompiledPattern, type KeySchemas } from "./key-pattern.js";
import { checkVersions, type Upgrades } from "./upgrades.js";

/** A mutator: zod-typed arguments and a deterministic function over a write transaction. */
export interface MutatorDef<S extends KeySchemas, TArgs extends z.ZodType> {
  readonly args: TArgs;
  readonly run: (tx: WriteTransaction<S>, args: z.output<TArgs>) => void | Promise<void>;
  /**
   * Opts the mutator into coalescing: a new call whose key equals that of a pending call not yet
   * sent to the server replaces that call's args instead of queueing another mutation (a drag
   * sends a few moves per push, not thousands). Return the target, e.g. `(a) => a.shapeId`.
   * The newer args must fully determine the outcome (`moveShape` to x,y; not `nudge` by dx), and
   * calls with different keys (of any mutator) must touch different store keys. @default no coalescing
   */
  readonly coalesce?: (args: z.output<TArgs>) => string;
}

/** What an action receives beside its transaction and arguments. */
export interface ActionContext {
  readonly userId: string;
  /** The space the action runs in, `{store}/{instance}`. */
  readonly spaceId: string;
}

/**
 * A server-only action: zod-typed arguments, full access to the space (`$$so/` included) and a
 * result. Not optimistic, not replayed; its writes commit as a new version.
 */
export interface ActionDef<S extends KeySchemas, TArgs extends z.ZodType, TResult> {
  readonly args: TArgs;
  readonly run: (tx: WriteTransaction<S>, args: z.output<TArgs>, ctx: ActionContext) => Promise<TResult>;
}

/** Any mutator definition of schemas `S`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMutatorDef<S extends KeySchemas = KeySchemas> = MutatorDef<S, any>;
/** Any action definition of schemas `S`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActionDef<S extends KeySchemas = KeySchemas> = ActionDef<S, any, any>;

/** The zod schema of a store's presence state; `undefined` for a store without presence. */
export type PresenceSchema = z.ZodType | undefined;

/** The mutators of a store, keyed by name. */
export type MutatorDefs<S extends KeySchemas> = Record<string, AnyMutatorDef<S>>;
/** The actions of a store, keyed by name. */
export type ActionDefs<S extends KeySchemas> = Record<string, AnyActionDef<S>>;

/**
 * A store definition: key schemas, mutators and actions in one place, shared by client and server.
 * Build it with `defineStore(...).mutators(...).actions(...)`.
 */
export interface StoreDefinition<
  S extends KeySchemas = KeySchemas,
  M extends MutatorDefs<S> = MutatorDefs<S>,
  A extends ActionDefs<S> = ActionDefs<S>,
  P extends PresenceSchema = PresenceSchema,
> {
  /** Store type id: the first part of every space id (`{name}/{instance}`). No `/`. */
  readonly name: string;
  /** This definition's version (see `DefineStoreOptions.version`). */
  readonly version: number;
  /** Same as `version`: what clients send as `schema_version`. */
  readonly schemaVersion: number;
  /** The oldest client version a server of this definition serves. */
  readonly minSupportedVersion: number;
  /** How each version came from the previous one. */
  readonly upgrades: Upgrades;
  readonly keys: S;
  readonly mutatorDefs: M;
  readonly actionDefs: A;
  /**
   * The schema of each connection's presence (cursor, selection, "typing…"), checked on the client
   * and by the server; `undefined` when the store has no presence.
   */
  readonly presence: P;
  /** Patterns compiled for run-time lookup, most specific first. */
  readonly patterns: readonly CompiledPattern[];
}

/** A definition that can still receive its mutators and actions. */
export interface StoreDefinitionBuilder<
  S extends KeySchemas,
  M extends MutatorDefs<S>,
  A extends ActionDefs<S>,
  P extends PresenceSchema,
> extends StoreDefinition<S, M, A, P> {
  /** Adds mutators. Each is `{ args: zodSchema, run: (tx, args) => … }`. */
  mutators<TArgs extends Record<string, z.ZodType>>(defs: {
    [K in keyof TArgs]: MutatorDef<S, TArgs[K]>;
  }): StoreDefinitionBuilder<S, M & { [K in keyof TArgs]: MutatorDef<S, TArgs[K]> }, A, P>;
  /**
   * Adds server-only actions, built with the `action(argsSchema, run)` helper handed to `build`
   * (a helper, so each action's result type is inferred from its `run`).
   */
  actions<TNew extends ActionDefs<S>>(
    build: (action: ActionFactory<S>) => TNew,
  ): StoreDefinitionBuilder<S, M, A & TNew, P>;
}

/** Makes one action definition; its result type is inferred from `run`. */
export type ActionFactory<S extends KeySchemas> = <TArgs extends z.ZodType, TResult>(
  args: TArgs,
  run: (tx: WriteTransaction<S>, args: z.output<TArgs>, ctx: ActionContext) => Promise<TResult>,
) => ActionDef<S, TArgs, TResult>;

/** Options of `defineStore`. */
export interface DefineStoreOptions<S extends KeySchemas, P extends PresenceSchema = undefined> {
  /** Store type id, e.g. `"todo"`. */
  name: string;
  /**
   * Bumped with every change to keys, schemas or mutators that clients of the previous version
   * would see differently; `upgrades` says how each version came from the one before. @default 1
   */
  version?: number;
  /** @deprecated the former name of `version` */
  schemaVersion?: number;
  /**
   * The oldest client version a server of this definition serves (queued mutations of those
   * clients are upgraded before they run); older clients are told to update. @default 1
   */
  minSupportedVersion?: number;
  /** Per version from 2 to `version`: how values and queued mutations upgrade. @default none */
  upgrades?: Upgrades;
  /** Key pattern → zod schema, e.g. `{ "todos/*": Todo, "$$pu/*\/filter": Filter }`. */
  keys: S;
  /**
   * The zod schema of the presence each connection shares with the others of its space
   * (`store.presence`): ephemeral, never stored, gone when the connection ends. @default no presence
   */
  presence?: P;
}

/**
 * Starts a store definition from its key schemas.
 *
 * @example
 * const todo = defineStore({ name: "todo", keys: { "todos/*": Todo } }).mutators({
 *   addTodo: { args: z.object({ id: z.string(), text: z.string() }),
 *              run: (tx, a) => tx.set(`todos/${a.id}`, { id: a.id, text: a.text, done: false }) },
 * });
 */
export function defineStore<S extends KeySchemas, P extends PresenceSchema = undefined>(
  options: DefineStoreOptions<S, P>,
): StoreDefinitionBuilder<S, Record<never, never>, Record<never, never>, P> {
  if (options.name.length === 0 || options.name.includes("/")) {
    throw new Error(`Store name must be non-empty and contain no "/": ${JSON.stringify(options.name)}`);
  }
  const version = options.version ?? options.schemaVersion ?? 1;
  const minSupportedVersion = options.minSupportedVersion ?? 1;
  const upgrades = options.upgrades ?? {};
  checkVersions(options.name, version, minSupportedVersion, upgrades);
  const shape: Shape<S, P> = {
    name: options.name,
    version,
    schemaVersion: version,
    minSupportedVersion,
    upgrades,
    keys: options.keys,
    presence: options.presence as P,
    patterns: compilePatterns(options.keys),
  };
  return build(shape, {}, {});
}

/** What every builder step of one definition shares. */
type Shape<S extends KeySchemas, P extends PresenceSchema> = Omit<
  StoreDefinition<S, MutatorDefs<S>, ActionDefs<S>, P>,
  "mutatorDefs" | "actionDefs"
>;

function build<
  S extends KeySchemas,
  M extends MutatorDefs<S>,
  A extends ActionDefs<S>,
  P extends PresenceSchema,
>(shape: Shape<S, P>, mutatorDefs: M, actionDefs: A): StoreDefinitionBuilder<S, M, A, P> {
  return {
    ...shape,
    // Without prototype: names looked up here come from the wire and other tabs, and
    // `mutatorDefs["constructor"]` must not find `Object`.
    mutatorDefs: withoutPrototype(mutatorDefs),
    actionDefs: withoutPrototype(actionDefs),
    mutators(defs) {
      for (const name of Object.keys(defs)) {
        // `$$` names are the protocol's (a retired mutation's placeholder travels as one).
        if (name.startsWith("$$")) throw new Error(`Mutator names may not start with "$$": ${name}`);
      }
      return build(shape, { ...mutatorDefs, ...defs }, actionDefs);
    },
    actions(make) {
      const defs = make((args, run) => ({ args, run }));
      return build(shape, mutatorDefs, { ...actionDefs, ...defs });
    },
  };
}

/** Any store definition, whatever its schemas, mutators and actions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStoreDefinition = StoreDefinition<any, any, any, any>;

/** Mutator names of a definition. */
export type MutatorNames<D extends AnyStoreDefinition> = keyof D["mutatorDefs"] & string;
/** Key schemas of a definition. */
export type SchemasOf<D extends AnyStoreDefinition> = D["keys"];
/** The argument type a caller passes to mutator `K` (zod input). */
export type MutatorArgs<D extends AnyStoreDefinition, K extends keyof D["mutatorDefs"]> = z.input<
  D["mutatorDefs"][K]["args"]
>;
/** The argument type a caller passes to action `K` (zod input). */
export type ActionArgs<D extends AnyStoreDefinition, K extends keyof D["actionDefs"]> = z.input<
  D["actionDefs"][K]["args"]
>;
/** The result type of action `K`. */
export type ActionResult<D extends AnyStoreDefinition, K extends keyof D["actionDefs"]> = Awaited<
  ReturnType<D["actionDefs"][K]["run"]>
>;
/** The presence state of a definition (zod output); `never` when it defines no presence. */
export type PresenceOf<D extends AnyStoreDefinition> = D["presence"] extends z.ZodType
  ? z.output<D["presence"]>
  : never;
/** What a caller passes to `store.presence.set` (zod input); `never` without presence. */
export type PresenceInput<D extends AnyStoreDefinition> = D["presence"] extends z.ZodType
  ? z.input<D["presence"]>
  : never;

/** A copy of `defs` whose only keys are its own. */
function withoutPrototype<T extends object>(defs: T): T {
  return Object.assign(Object.create(null) as T, defs);
}
