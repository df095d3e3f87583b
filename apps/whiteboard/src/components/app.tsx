import { useState } from "react";
import "../register.js";
import { clearUserId, loadUserId, saveUserId } from "../user-name.js";
import { Board } from "./board.js";
import { NamePicker } from "./name-picker.js";

/** The board this page shows: `#/board/{id}`, or the shared "main" board. */
function boardIdFromHash(): string {
  return /^#\/board\/([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1] ?? "main";
}

/** Asks for a name on first visit, then shows the board. */
export function App() {
  const [userId, setUserId] = useState(loadUserId);
  if (userId === null) {
    return (
      <NamePicker
        title="Whiteboard"
        onPick={(id) => {
          saveUserId(id);
          setUserId(id);
        }}
      />
    );
  }
  return (
    <Board
      boardId={boardIdFromHash()}
      userId={userId}
      onSignOut={() => {
        clearUserId();
        setUserId(null);
      }}
    />
  );
}
