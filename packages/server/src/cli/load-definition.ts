import type { AnyStoreDefinition } from "@synced-store/core";
import type { IncomingMessage, ServerResponse } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { SyncServerOptions } from "../sync-server.js";

/** What a definition module may configure besides its stores. */
export type DefinitionOptions = Partial<Omit<SyncServerOptions, "storage" | "logger" | "bus">> & {
  /**
   * Requests the app answers itself (e.g. its sign-in), tried before static files; resolves to
   * false for the others. @default none
   */
  readonly handleRequest?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
};

/**
 * Loads an app's definition module. It either default-exports server options
 * (`{ stores: [...], authenticate, authorize, overrides, onConnect, onDisconnect, limits,
 * handleRequest }`), a
 * store definition, or an array of them; or it has named exports that are store definitions
 * (all of them are served).
 */
export async function loadDefinition(
  path: string,
): Promise<DefinitionOptions & { stores: AnyStoreDefinition[] }> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  const main = mod.default;
  if (isStore(main)) return { stores: [main] };
  if (Array.isArray(main) && main.every(isStore)) return { stores: main };
  if (typeof main === "object" && main !== null && Array.isArray((main as DefinitionOptions).stores)) {
    const options = main as DefinitionOptions;
    return { ...options, stores: [...(options.stores ?? [])] };
  }
  // Several exports may hold versions of one store (shared and server): the last one wins.
  const byName = new Map<string, AnyStoreDefinition>();
  for (const value of Object.values(mod)) if (isStore(value)) byName.set(value.name, value);
  if (byName.size === 0) throw new Error(`${path} exports no store definition`);
  return { stores: [...byName.values()] };
}

function isStore(value: unknown): value is AnyStoreDefinition {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<AnyStoreDefinition>;
  return typeof v.name === "string" && Array.isArray(v.patterns) && typeof v.mutatorDefs === "object";
}
