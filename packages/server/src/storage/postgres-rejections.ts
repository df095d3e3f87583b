import pg from "pg";
import type { RejectionBounds, RejectionRow } from "./storage.js";

const { escapeLiteral } = pg;

/** A space's rejections written by one transaction, and the bounds to keep the space within. */
export interface SpaceRejections {
  readonly spaceId: string;
  /** Stamped with the version of the batch that rejected them (what orders the space's oldest). */
  readonly rows: ReadonlyArray<RejectionRow & { readonly version: number }>;
  readonly bounds: RejectionBounds;
}

/** A `synced_store_rejections` row as the read returns it (bigint arrives as a string). */
export interface RejectionRecord {
  mutation_id: string;
  code: string;
  message: string;
}

/** The read of `StorageReader.rejections`: a client's rejections after a mutation id, in id order. */
export const REJECTIONS_AFTER = `SELECT mutation_id, code, message FROM synced_store_rejections
  WHERE space_id = $1 AND client_id = $2 AND mutation_id > $3 ORDER BY mutation_id`;

/**
 * Two statements, the values as literals (so they go with the group's COMMIT in one simple
 * query): the rows of `writes`, then the collection of every row of their spaces past a bound.
 * Collected as SQLite does (`storage/sqlite.ts`): running counts and byte sums newest first, per
 * client by mutation id and over the space by version; bytes as `rejectionBytes` counts them
 * (`octet_length`: UTF-8 bytes). The second statement sees the first's rows, which one statement
 * with both in a WITH would not.
 */
export function rejectionsSql(writes: readonly SpaceRejections[]): string {
  const rows = writes.flatMap((w) =>
    w.rows.map((r) => ({
      s: w.spaceId,
      c: r.clientId,
      m: r.mutationId,
      code: r.code,
      msg: r.message,
      n: r.version,
    })),
  );
  const bounds = writes.map((w) => ({
    s: w.spaceId,
    pc: w.bounds.perClient,
    pcb: w.bounds.perClientBytes,
    ps: w.bounds.perSpace,
    psb: w.bounds.perSpaceBytes,
  }));
  return `INSERT INTO synced_store_rejections (space_id, client_id, mutation_id, code, message, version)
  SELECT t.s, t.c, t.m, t.code, t.msg, t.n
    FROM json_to_recordset(${escapeLiteral(JSON.stringify(rows))}::json)
      AS t(s text, c text, m bigint, code text, msg text, n bigint)
  ON CONFLICT (space_id, client_id, mutation_id)
    DO UPDATE SET code = excluded.code, message = excluded.message, version = excluded.version;
WITH b AS (
  SELECT * FROM json_to_recordset(${escapeLiteral(JSON.stringify(bounds))}::json)
    AS b(s text, pc bigint, pcb bigint, ps bigint, psb bigint)
)
DELETE FROM synced_store_rejections AS r USING (
  SELECT x.space_id, x.client_id, x.mutation_id, b.pc, b.pcb, b.ps, b.psb,
    row_number() OVER c AS client_n, sum(x.bytes) OVER c AS client_bytes,
    row_number() OVER s AS space_n, sum(x.bytes) OVER s AS space_bytes
  FROM (
    SELECT space_id, client_id, mutation_id, version,
      octet_length(client_id) + octet_length(code) + octet_length(message) + 16 AS bytes
    FROM synced_store_rejections WHERE space_id = ANY ((SELECT array_agg(s) FROM b)::text[])
  ) AS x JOIN b ON x.space_id = b.s
  WINDOW c AS (PARTITION BY x.space_id, x.client_id ORDER BY x.mutation_id DESC),
    s AS (PARTITION BY x.space_id ORDER BY x.version DESC, x.client_id, x.mutation_id DESC)
) AS d
WHERE r.space_id = ANY ((SELECT array_agg(s) FROM b)::text[])
  AND r.space_id = d.space_id AND r.client_id = d.client_id AND r.mutation_id = d.mutation_id
  AND (d.client_n > d.pc OR d.client_bytes > d.pcb OR d.space_n > d.ps OR d.space_bytes > d.psb)`;
}
