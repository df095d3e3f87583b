import { useRejections } from "@synced-store/react";

/** Mutations the server refused, with its reason; the local effect is already rolled back. */
export function RejectionToasts() {
  const { rejections, dismiss } = useRejections();
  if (rejections.length === 0) return null;
  return (
    <div className="toasts" role="alert">
      {rejections.map((r) => (
        <div className="toast" key={`${r.mutatorName}-${r.mutationId}`} data-testid="rejection">
          <strong>The server refused {r.mutatorName}:</strong> {r.message}
          <button className="link" aria-label="Dismiss" onClick={() => dismiss(r)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
