import type { PatchOp, PullResponseMessage, SnapshotResume } from "../protocol/messages.js";

interface Partial {
  readonly version: number;
  /** The history the parts belong to: after a history change they mean nothing. */
  readonly historyId: string | null;
  readonly patches: PatchOp[];
  /** Key of the last patch received: the server resumes after it. */
  lastKey: string | undefined;
}

/**
 * Collects the parts of a snapshot (pull responses marked `more`) until the last one, so the
 * store applies a snapshot in one step and no subscriber ever sees half of it. The parts received
 * survive a cut connection: the next pull asks the server to go on after the last key
 * (`resumeFrom`), and the server either continues at the same version (a part without `reset`)
 * or starts over (a part with `reset`, which replaces what was collected).
 *
 * ```
 * (idle) --reset part, more--> (collecting) --last part--> whole snapshot, (idle)
 *                               |   ^ continuation part at the same version
 *                               +---+
 * ```
 */
export class SnapshotAssembler {
  #partial: Partial | undefined;

  /**
   * Takes a pull response. Returns what to apply: the response itself when it is not part of a
   * snapshot in parts, the whole snapshot after its last part, or undefined while parts are
   * missing or for a stray continuation (of a snapshot already completed or abandoned).
   */
  accept(message: PullResponseMessage, historyId: string | null): PullResponseMessage | undefined {
    const restarts = message.patches[0]?.op === "reset";
    if (message.min_included_version !== 0 || (restarts && message.more !== true)) {
      // An incremental response, or a snapshot in one frame: nothing to collect.
      this.#partial = undefined;
      return message;
    }
    let partial = this.#partial;
    if (restarts) {
      partial = { version: message.max_included_version, historyId, patches: [], lastKey: undefined };
      this.#partial = partial;
    } else if (partial === undefined || partial.version !== message.max_included_version) {
      return undefined;
    }
    for (const patch of message.patches) {
      // Parts repeat nothing, but a pull sent while parts were still arriving may overlap them.
      if (patch.op !== "reset" && partial.lastKey !== undefined && patch.key <= partial.lastKey) continue;
      partial.patches.push(patch);
      if (patch.op !== "reset") partial.lastKey = patch.key;
    }
    if (message.more === true) return undefined;
    this.#partial = undefined;
    return {
      type: "pull_response",
      min_included_version: 0,
      max_included_version: partial.version,
      patches: partial.patches,
      client_id_to_last_mutation_id: message.client_id_to_last_mutation_id,
      ...(message.rejections === undefined ? {} : { rejections: message.rejections }),
    };
  }

  /** Where to resume the snapshot being collected, if any parts of it arrived under `historyId`. */
  resumeFrom(historyId: string | null): SnapshotResume | undefined {
    const partial = this.#partial;
    if (partial === undefined || partial.historyId !== historyId || partial.lastKey === undefined)
      return undefined;
    return { version: partial.version, after_key: partial.lastKey };
  }

  /** Parts collected so far, in patches (for status and tests). */
  get collectedPatches(): number {
    return this.#partial?.patches.length ?? 0;
  }
}
