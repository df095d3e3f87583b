import { useMutate, useSubscribe } from "@synced-store/react";
import { ACCENTS } from "../shared/schemas.js";

/** The user's accent colour: a private preference (`$$pu/{user}/prefs`) other users never see. */
export function AccentPicker() {
  const prefs = useSubscribe((tx) => tx.get(tx.privateKey("prefs")), []);
  const mutate = useMutate();
  const current = prefs?.accent ?? "indigo";
  return (
    <div className="accents" role="radiogroup" aria-label="Accent colour">
      {ACCENTS.map((accent) => (
        <button
          key={accent}
          role="radio"
          aria-checked={accent === current}
          aria-label={accent}
          className={`swatch swatch-${accent}`}
          onClick={() => void mutate.setPrefs({ accent })}
        />
      ))}
    </div>
  );
}
