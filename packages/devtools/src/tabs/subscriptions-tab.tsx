import type { Inspection } from "@synced-store/core";

/** Live queries with what their last run read and how often they ran and fired. */
export function SubscriptionsTab({ inspection }: { inspection: Inspection }) {
  const { subscriptions } = inspection;
  if (subscriptions.length === 0) return <p className="ssd-muted">No live query.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>#</th>
          <th>query</th>
          <th>reads</th>
          <th title="completed runs">runs</th>
          <th title="runs whose result changed">fired</th>
          <th>errors</th>
        </tr>
      </thead>
      <tbody>
        {subscriptions.map((s) => (
          <tr key={s.id} data-testid="ssd-subscription-row">
            <td>{s.id}</td>
            <td className="ssd-mono" style={{ maxWidth: 420 }}>
              {s.label}
            </td>
            <td className="ssd-mono">
              {s.ranges.map((r, i) => (
                <div key={`r${i}`}>
                  scan {JSON.stringify(r.prefix)}
                  {r.from !== r.prefix ? ` from ${JSON.stringify(r.from)}` : ""}
                  {r.to === undefined ? "" : ` to ${JSON.stringify(r.to)}`}
                </div>
              ))}
              {s.keys.slice(0, 20).map((k) => (
                <div key={k}>get {JSON.stringify(k)}</div>
              ))}
              {s.keys.length > 20 && <div className="ssd-muted">… {s.keys.length - 20} more keys</div>}
            </td>
            <td>{s.runs}</td>
            <td>{s.fires}</td>
            <td className={s.errors > 0 ? "ssd-err" : ""}>{s.errors}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
