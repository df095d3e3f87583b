import { useRejections } from "@synced-store/react";
import { describeRejection } from "../describe-rejection.js";

/** Mutations the server refused, in the user's words; the local effect is already rolled back. */
export function RejectionToasts() {
  const { rejections, dismiss } = useRejections();
  if (rejections.length === 0) return null;
  return (
    <div className="toasts" role="alert">
      {rejections.map((r) => {
        const { title, reason } = describeRejection(r);
        return (
          <div className="toast" key={`${r.mutatorName}-${r.mutationId}`} data-testid="rejection">
            <p>
              <strong>{title}.</strong> {reason}
            </p>
            <button className="link" aria-label={`Dismiss “${title}”`} onClick={() => dismiss(r)}>
              ✕
            </button>
          </div>
        );
      })}
    </div>
  );
}
