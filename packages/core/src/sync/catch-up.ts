import type { PokeMessage, PullResponseMessage, SnapshotResume } from "../protocol/messages.js";
import type { SyncTarget } from "../store/server-update.js";
import { SnapshotAssembler } from "./snapshot-assembler.js";

/** Options of `CatchUp`. */
export interface CatchUpOptions {
  readonly target: SyncTarget;
  /**
   * Sends a pull on the current connection (resuming a snapshot cut short, when `resume` is
   * given); false when there is none ready.
   */
  readonly sendPull: (baseVersion: number, resume: SnapshotResume | undefined) => boolean;
}

/**
 * Applies pokes and pull responses to the store and pulls when it falls behind: on a poke that
 * skips versions, and again after a pull if pokes announced more than it returned. At most one
 * pull is in flight. A snapshot sent in parts is collected and applied whole.
 */
export class CatchUp {
  private pulling = false;
  /** Highest version the server has announced; above `baseVersion` means we are behind. */
  private serverVersion = 0;
  private readonly snapshot = new SnapshotAssembler();

  constructor(private readonly options: CatchUpOptions) {}

  /** A connection became ready at the server's `version`; any earlier pull is void. */
  reset(serverVersion: number): void {
    this.pulling = false;
    this.serverVersion = serverVersion;
  }

  /** Whether a pull is awaiting its response. */
  get pullInFlight(): boolean {
    return this.pulling;
  }

  /** Forgets the pull in flight (its request or response was lost). */
  abandonPull(): void {
    this.pulling = false;
  }

  /** Pulls from `baseVersion` (the store's by default) unless a pull is already in flight. */
  pull(baseVersion = this.options.target.baseVersion()): void {
    if (this.pulling) return;
    const resume = this.snapshot.resumeFrom(this.options.target.historyId());
    this.pulling = this.options.sendPull(baseVersion, resume);
  }

  /** Applies a poke or pull response, then pulls if the store is still behind. */
  async apply(received: PokeMessage | PullResponseMessage): Promise<void> {
    const { target } = this.options;
    let message: PokeMessage | PullResponseMessage | undefined = received;
    if (received.type === "pull_response") {
      if (received.more !== true) this.pulling = false;
      message = this.snapshot.accept(received, target.historyId());
      if (message === undefined) return;
    }
    this.serverVersion = Math.max(this.serverVersion, message.max_included_version);
    const before = target.baseVersion();
    const lastMutationId = message.client_id_to_last_mutation_id[target.clientId];
    const result = await target.applyServerUpdate({
      minIncludedVersion: message.min_included_version,
      maxIncludedVersion: message.max_included_version,
      patches: message.patches,
      ...(lastMutationId === undefined ? {} : { lastMutationId }),
      // Every client of this user: the store drops other tabs' mutations the server applied.
      lastMutationIds: message.client_id_to_last_mutation_id,
      ...(message.rejections === undefined
        ? {}
        : {
            rejections: message.rejections.map((r) => ({
              mutationId: r.mutation_id,
              code: r.code,
              message: r.message,
            })),
          }),
    });
    if (result.status === "gap") this.pull();
    else if (message.type === "pull_response" && target.baseVersion() > before) {
      // Pokes that arrived during the pull may have gapped; catch up with what they announced.
      if (this.serverVersion > target.baseVersion()) this.pull();
    }
  }
}
