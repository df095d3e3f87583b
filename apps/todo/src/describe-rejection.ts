import type { MutationRejectedError } from "@synced-store/core";
import type { todo } from "./shared/definition.js";

type MutatorName = keyof (typeof todo)["mutatorDefs"];

/** What the user was doing, per mutator: a new mutator does not compile until it is described. */
const NOT_DONE: Record<MutatorName, string> = {
  createList: "The list wasn't created",
  renameList: "The list wasn't renamed",
  deleteList: "The list wasn't removed",
  setPrefs: "Your colour wasn't saved",
  addTodo: "Your todo wasn't added",
  editTodo: "Your edit wasn't saved",
  toggleTodo: "The todo wasn't ticked off",
  moveTodo: "The todo wasn't moved",
  deleteTodo: "The todo wasn't deleted",
  setFilter: "Your filter wasn't saved",
};

/** A rejection in the user's words: what did not happen, and why. */
export interface RejectionText {
  readonly title: string;
  readonly reason: string;
}

/**
 * Turns a server rejection into a sentence for the user. The app's own server rules throw
 * messages written for people (e.g. the length limit); engine codes get a plain explanation.
 */
export function describeRejection(rejection: MutationRejectedError): RejectionText {
  const title = NOT_DONE[rejection.mutatorName as MutatorName] ?? "A change wasn't saved";
  switch (rejection.code) {
    case "mutator_failed":
      return { title, reason: rejection.message };
    case "permission_denied":
    case "unauthorized":
      return { title, reason: "You don't have permission to change that." };
    case "invalid_args":
    case "invalid_value":
      return { title, reason: "The server found something in it that isn't valid." };
    default:
      return { title, reason: "The server could not apply it." };
  }
}
