import { useSyncExternalStore } from "react";
import { formatJson } from "../format.js";

/** A peer as `store.presence.others()` lists it. */
interface PeerLike {
  readonly clientId: string;
  readonly userId: string;
  readonly state: unknown;
}

/** The part of `store.presence` the tab reads. */
export interface PresenceLike {
  get(): unknown;
  others(): readonly PeerLike[];
  subscribe(listener: (others: readonly PeerLike[]) => void): () => void;
  subscribeOwn(listener: (state: unknown) => void): () => void;
}

/** This connection's presence and the other connections' ones. */
export function PresenceTab({ presence }: { presence: PresenceLike }) {
  const own = useSyncExternalStore(
    (listener) => presence.subscribeOwn(listener),
    () => presence.get(),
  );
  const others = useSyncExternalStore(
    (listener) => presence.subscribe(listener),
    () => presence.others(),
  );
  return (
    <div>
      <h4>This connection</h4>
      <pre data-testid="ssd-presence-own">{formatJson(own, "(none set)")}</pre>
      <h4>Others ({others.length})</h4>
      {others.length === 0 ? (
        <p className="ssd-muted">Nobody else is here.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>user</th>
              <th>client</th>
              <th>state</th>
            </tr>
          </thead>
          <tbody>
            {others.map((p) => (
              <tr key={p.clientId} data-testid="ssd-presence-row">
                <td>{p.userId}</td>
                <td className="ssd-mono">{p.clientId.slice(0, 8)}</td>
                <td className="ssd-mono">{formatJson(p.state)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** `store.presence` when the store declares presence, else undefined. */
export function presenceOf(store: { readonly definition: object }): PresenceLike | undefined {
  const declared = (store.definition as { presence?: unknown }).presence !== undefined;
  const presence = (store as { presence?: PresenceLike }).presence;
  return declared && presence !== undefined && typeof presence.others === "function" ? presence : undefined;
}
