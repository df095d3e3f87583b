import { useState } from "react";
import { toUserId } from "../user-name.js";

/** Props of {@link NamePicker}. */
export interface NamePickerProps {
  title: string;
  /** Called with the user id made from the typed name, and the name as typed. */
  onPick: (userId: string, name: string) => void;
}

/** The demo's sign-in: a name, for which the server signs a token. No password, no account. */
export function NamePicker({ title, onPick }: NamePickerProps) {
  const [name, setName] = useState("");
  const userId = toUserId(name);
  return (
    <main className="name-picker">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (userId) onPick(userId, name.trim());
        }}
      >
        <h1>{title}</h1>
        <p>Pick a name. Open a second browser with another name to see the two of you collaborate.</p>
        <input
          aria-label="Your name"
          autoFocus
          placeholder="Your name, e.g. Ada"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" disabled={!userId}>
          Continue{userId ? ` as ${name.trim()}` : ""}
        </button>
      </form>
    </main>
  );
}
