/** What a `VersionWatcher` saw of its bus, for the admin endpoint. */
export interface BusState {
  /** The bus instance's id (stamped on the notices this process publishes). */
  readonly id: string;
  /** Notices heard, own ones included; notices this process published. */
  readonly noticesHeard: number;
  readonly published: number;
  /** Re-reads of every served space: after the bus reconnected, or on the poll interval. */
  readonly resyncs: number;
  /** Failed publishes and version reads; the last one's text and time (epoch ms). */
  readonly errors: number;
  readonly lastError: { readonly message: string; readonly at: number } | null;
  /** Epoch ms of the last notice heard, or null. */
  readonly lastNoticeAt: number | null;
  /** Spaces whose version this process tracks. */
  readonly spacesTracked: number;
}
