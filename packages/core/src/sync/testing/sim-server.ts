import type { ClientMessage, PatchOp, ServerMessage } from "../../protocol/messages.js";

/** One connection as the simulated server sees it. */
export interface SimServerConnection {
  /** Hands the server one message from the client. */
  handle(message: ClientMessage): void;
  /** The connection is gone. */
  close(): void;
}

/**
 * A minimal in-memory sync server for one space, for simulated-network tests of the sync layer:
 * the protocol's rules (duplicates skipped, gaps reported, versions, pokes with the receiving
 * client's last mutation id, pulls since a version) with no mutator code — mutation `id` of client
 * `c` writes its args at `k/{c}/{id}`. `log` lists accepted mutations in server order.
 */
export class SimServer {
  readonly historyId = "sim-history";
  version = 0;
  readonly data = new Map<string, { value: unknown; version: number }>();
  readonly lastMutationIds = new Map<string, number>();
  readonly log: Array<{ clientId: string; id: number }> = [];
  private readonly connections = new Set<{ clientId: string | null; send: (m: ServerMessage) => void }>();

  /** Opens a connection whose server messages go to `send`. */
  connect(send: (message: ServerMessage) => void): SimServerConnection {
    const conn = { clientId: null as string | null, send };
    return {
      handle: (message) => this.handle(conn, message),
      close: () => this.connections.delete(conn),
    };
  }

  private lmid(clientId: string): number {
    return this.lastMutationIds.get(clientId) ?? 0;
  }

  private handle(
    conn: { clientId: string | null; send: (m: ServerMessage) => void },
    message: ClientMessage,
  ) {
    if (message.type === "connect") {
      if (conn.clientId !== null) {
        conn.send({ type: "error", code: "already_connected", message: "already connected" });
        return;
      }
      conn.clientId = message.client_id;
      this.connections.add(conn);
      conn.send({
        type: "connected",
        history_id: this.historyId,
        version: this.version,
        last_mutation_id: this.lmid(message.client_id),
      });
      return;
    }
    if (message.type === "ping") return conn.send({ type: "pong" });
    const clientId = conn.clientId;
    if (clientId === null) {
      conn.send({ type: "error", code: "not_connected", message: "connect first" });
      return;
    }
    if (message.type === "pull") {
      conn.send({ ...this.changesSince(message.base_version, clientId), type: "pull_response" });
    } else if (message.type === "push") {
      this.push(conn, clientId, message.mutations);
    } else if (message.type === "presence" || message.type === "auth") {
      return; // the simulated server shares no presence and takes every credential
    } else {
      conn.send({
        type: "action_result",
        request_id: message.request_id,
        ok: false,
        error: { code: "unknown_action", message: "no actions here" },
      });
    }
  }

  private push(
    conn: { send: (m: ServerMessage) => void },
    clientId: string,
    mutations: ReadonlyArray<{ id: number; args: unknown }>,
  ): void {
    const patches: PatchOp[] = [];
    for (const m of mutations) {
      const last = this.lmid(clientId);
      if (m.id <= last) continue;
      if (m.id > last + 1) {
        conn.send({ type: "error", code: "mutation_gap", message: "gap", last_mutation_id: last });
        break;
      }
      const key = `k/${clientId}/${m.id}`;
      this.data.set(key, { value: m.args, version: this.version + 1 });
      this.lastMutationIds.set(clientId, m.id);
      this.log.push({ clientId, id: m.id });
      patches.push({ op: "set", key, value: m.args });
    }
    if (patches.length === 0) return;
    this.version++;
    for (const c of this.connections) {
      if (c.clientId === null) continue;
      c.send({
        type: "poke",
        min_included_version: this.version,
        max_included_version: this.version,
        patches,
        client_id_to_last_mutation_id: { [c.clientId]: this.lmid(c.clientId) },
      });
    }
  }

  private changesSince(baseVersion: number, clientId: string) {
    const patches: PatchOp[] = [];
    for (const [key, row] of this.data) {
      if (row.version > baseVersion) patches.push({ op: "set", key, value: row.value });
    }
    return {
      min_included_version: baseVersion + 1,
      max_included_version: this.version,
      patches,
      client_id_to_last_mutation_id: { [clientId]: this.lmid(clientId) },
    };
  }
}
