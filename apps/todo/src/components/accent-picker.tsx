import { useMutate, useSubscribe } from "@synced-store/react";
import { ACCENTS } from "../shared/schemas.js";

/** The user's accent colour: a private preference (`$$pu/{user}/prefs`) other users never see. */
export function AccentPicker() {
  const prefs = useSubscribe((tx) => tx.get(tx.privateKey("prefs")), []);
  const mutate = useMutate();
  const current = prefs?.accent ?? "indigo";
  return (
    <div className="accents" role="radiogroup" aria-labelledby="accent-label">
      <span id="accent-label" className="accent-label" title="Only you see this colour">
        Your colour <span className="hint">(only you see it)</span>
      </span>
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
