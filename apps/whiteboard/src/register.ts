import type { WhiteboardDefinition } from "./shared/definition.js";

// Types every @synced-store/react hook in this app with the whiteboard definition.
declare module "@synced-store/react" {
  interface Register {
    definition: WhiteboardDefinition;
  }
}
