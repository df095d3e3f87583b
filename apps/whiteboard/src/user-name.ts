/**
 * The demo's user identity: a name picked on first visit, kept in localStorage (so every tab of
 * one browser profile is the same user) and sent to the server as the store's `auth`.
 */

const STORAGE_KEY = "synced-store-whiteboard:user";

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

/** Saves the user id for this browser profile. */
export function saveUserId(userId: string): void {
  localStorage.setItem(STORAGE_KEY, userId);
}

/** Forgets the user, back to the name picker. */
export function clearUserId(): void {
  localStorage.removeItem(STORAGE_KEY);
}
