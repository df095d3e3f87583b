import type { Inspection } from "@synced-store/core";
import { formatInline, formatTime } from "../format.js";

/** Mutations the server rejected, newest first, with its reason. */
export function RejectionsTab({ inspection }: { inspection: Inspection }) {
  const { rejections } = inspection;
  if (rejections.length === 0)
    return <p className="ssd-muted">No rejection since the panel started recording.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>id</th>
          <th>mutator</th>
          <th>args</th>
          <th>code</th>
          <th>reason</th>
          <th>when</th>
        </tr>
      </thead>
      <tbody>
        {[...rejections].reverse().map((r) => (
          <tr key={`${r.id}/${r.at}`} data-testid="ssd-rejection-row">
            <td>{r.id}</td>
            <td className="ssd-mono">{r.name}</td>
            <td className="ssd-mono">{formatInline(r.args)}</td>
            <td className="ssd-mono ssd-err">{r.code}</td>
            <td>{r.message}</td>
            <td>{formatTime(r.at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
