import type { MutationRejectedError } from "@synced-store/core";
import type { whiteboard } from "./shared/definition.js";

type MutatorName = keyof (typeof whiteboard)["mutatorDefs"];

/** What the user was doing, per mutator: a new mutator does not compile until it is described. */
const NOT_DONE: Record<MutatorName, string> = {
  putShape: "The shape wasn't added",
  setBox: "The move wasn't saved",
  patchShape: "The change wasn't saved",
  recolorShape: "The colour wasn't changed",
  setText: "Your note wasn't saved",
  deleteShape: "The shape wasn't deleted",
  select: "Your selection wasn't saved",
};

/**
 * A server rejection in the user's words: what did not happen, and why. The app's own server
 * rules throw messages written for people (the note length limit); engine codes get a plain one.
 */
export function describeRejection(rejection: MutationRejectedError): { title: string; reason: string } {
  const title = NOT_DONE[rejection.mutatorName as MutatorName] ?? "A change wasn't saved";
  switch (rejection.code) {
    case "mutator_failed":
      return { title, reason: rejection.message };
    case "permission_denied":
    case "unauthorized":
      return { title, reason: "You don't have permission to change that." };
    default:
      return { title, reason: "The server could not apply it." };
  }
}
