/**
 * The demo's user identity: a name picked on first visit, kept in localStorage (so every tab of
 * one browser profile is the same user). The user id made from it signs in (`sign-in.ts`); the
 * name as typed is kept for display.
 */

const STORAGE_KEY = "synced-store-todo:user";
const NAME_KEY = "synced-store-todo:name";

/** Turns a display name into a user id: lower case letters, digits and dashes. */
export function toUserId(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
}

/** The saved user id, or null before the user picked a name. */
export function loadUserId(): string | null {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved && toUserId(saved) === saved ? saved : null;
}

/** The name as the user typed it, for display (falls back to the user id). */
export function loadDisplayName(userId: string): string {
  const name = localStorage.getItem(NAME_KEY);
  return name && toUserId(name) === userId ? name : userId;
}

/** Saves the user for this browser profile: the id, and the name as typed. */
export function saveUser(userId: string, name: string): void {
  localStorage.setItem(STORAGE_KEY, userId);
  localStorage.setItem(NAME_KEY, name.trim());
}

/** Forgets the user, back to the name picker. */
export function clearUserId(): void {
  localStorage.removeItem(STORAGE_KEY);
  localStorage.removeItem(NAME_KEY);
}
