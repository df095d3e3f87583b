/**
 * A short random id for new shapes (mutators take ids as arguments). Uses
 * `getRandomValues`, which, unlike `randomUUID`, also works on plain-http LAN addresses.
 */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
