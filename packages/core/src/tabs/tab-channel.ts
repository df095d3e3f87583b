/**
 * A message bus between the tabs of one browser (one origin), such as a `BroadcastChannel`: a
 * message posted by one tab reaches every other tab on the same channel name, not the sender.
 */
export interface TabChannel {
  /** Sends a structured-cloneable message to the other tabs. */
  post(message: unknown): void;
  /** Calls `listener` for each message from another tab. Returns an unsubscribe. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Leaves the channel. */
  close(): void;
}

/** Opens the channel of one name; every tab of a space and user uses the same name. */
export type TabChannelFactory = (name: string) => TabChannel;
