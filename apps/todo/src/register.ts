import type { TodoDefinition } from "./shared/definition.js";

// Types every @synced-store/react hook in this app with the todo definition, without generics.
declare module "@synced-store/react" {
  interface Register {
    definition: TodoDefinition;
  }
}
