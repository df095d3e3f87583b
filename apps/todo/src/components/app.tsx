import { useState } from "react";
import "../register.js";
import { clearUserId, loadUserId, saveUser } from "../user-name.js";
import { NamePicker } from "./name-picker.js";
import { TodoApp } from "./todo-app.js";

/** Asks for a name on first visit, then shows the lists of that user. */
export function App() {
  const [userId, setUserId] = useState(loadUserId);
  if (userId === null) {
    return (
      <NamePicker
        title="Shared todo lists"
        onPick={(id, name) => {
          saveUser(id, name);
          setUserId(id);
        }}
      />
    );
  }
  return (
    <TodoApp
      userId={userId}
      onSignOut={() => {
        clearUserId();
        setUserId(null);
      }}
    />
  );
}
