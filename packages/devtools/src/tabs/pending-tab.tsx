import type { Inspection } from "@synced-store/core";
import { formatAge, formatInline, formatTime } from "../format.js";

/** Mutations not yet acknowledged, then the recently acknowledged ones. */
export function PendingTab({ inspection }: { inspection: Inspection }) {
  const { pending, acknowledged } = inspection;
  return (
    <div>
      <h4>Pending ({pending.length})</h4>
      {pending.length === 0 ? (
        <p className="ssd-muted">Nothing pending: the server has every mutation of this store.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>id</th>
              <th>mutator</th>
              <th>args</th>
              <th>age</th>
              <th>state</th>
              <th>tab</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((m) => (
              <tr key={`${m.clientId}/${m.id}`} data-testid="ssd-pending-row">
                <td>{m.id}</td>
                <td className="ssd-mono">{m.name}</td>
                <td className="ssd-mono">{formatInline(m.args)}</td>
                <td>{formatAge(m.ageMs)}</td>
                <td>
                  {m.pushed === null ? (
                    <span className="ssd-badge">other tab pushes it</span>
                  ) : m.pushed ? (
                    <span className="ssd-badge ssd-set">pushed, awaiting ack</span>
                  ) : (
                    <span className="ssd-badge ssd-wait">not pushed</span>
                  )}
                </td>
                <td className="ssd-mono">{m.ownTab ? "this tab" : m.clientId.slice(0, 8)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Recently acknowledged ({acknowledged.length})</h4>
      {acknowledged.length === 0 ? (
        <p className="ssd-muted">None since the panel started recording.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>id</th>
              <th>mutator</th>
              <th>args</th>
              <th>acknowledged</th>
              <th>at version</th>
            </tr>
          </thead>
          <tbody>
            {[...acknowledged].reverse().map((m) => (
              <tr key={m.id} data-testid="ssd-acked-row">
                <td>{m.id}</td>
                <td className="ssd-mono">{m.name}</td>
                <td className="ssd-mono">{formatInline(m.args)}</td>
                <td>{formatTime(m.at)}</td>
                <td>v{m.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
