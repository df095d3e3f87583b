import type { ServerInspection } from "./server-inspection.js";

/** Escapes text for HTML content and attribute values. */
function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330;background:#f6f7f9}
h1{font-size:20px}h2{font-size:16px;margin:24px 0 6px}table{border-collapse:collapse;background:#fff;margin:6px 0}
th,td{border:1px solid #d5d9e0;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef0f4}
code{font:12px ui-monospace,monospace}.muted{color:#667}`;

/**
 * The admin endpoint's HTML page: the same report as the JSON, as tables. Everything shown is
 * escaped (space ids, user ids and rejection messages come from clients). Refreshes every 5 s.
 */
export function renderAdminPage(report: ServerInspection, jsonPath: string): string {
  const spaces = report.spaces.map((s) => {
    const users = s.users
      .map(
        (u) =>
          `<tr><td>${esc(u.userId)}</td><td>${u.clients.length}</td><td>${u.clients
            .map((c) => `<code>${esc(c.clientId)}</code> lmid ${c.lastMutationId} · v${c.version}`)
            .join("<br>")}</td></tr>`,
      )
      .join("");
    const rejections = s.recentRejections
      .map(
        (r) =>
          `<tr><td><code>${esc(r.clientId)}</code></td><td>${r.mutationId}</td><td>${esc(r.code)}</td><td>${esc(r.message)}</td></tr>`,
      )
      .join("");
    return `<h2>${esc(s.id)}</h2>
<p>version <b>${s.version}</b> · ${s.keyCount} keys · ${s.knownClients} known clients · history <code>${esc(s.historyId)}</code></p>
<table><tr><th>user</th><th>connections</th><th>clients (last mutation id · version sent)</th></tr>${users || `<tr><td colspan="3" class="muted">no connection</td></tr>`}</table>
${rejections ? `<table><tr><th>client</th><th>mutation</th><th>code</th><th>reason</th></tr>${rejections}</table>` : `<p class="muted">no recent rejection</p>`}`;
  });
  const bus = report.bus
    ? `<table><tr><th>bus id</th><td><code>${esc(report.bus.id)}</code></td></tr>
<tr><th>notices heard / published</th><td>${report.bus.noticesHeard} / ${report.bus.published}</td></tr>
<tr><th>resyncs</th><td>${report.bus.resyncs}</td></tr><tr><th>spaces tracked</th><td>${report.bus.spacesTracked}</td></tr>
<tr><th>errors</th><td>${report.bus.errors}${report.bus.lastError ? ` — last: ${esc(report.bus.lastError.message)} at ${esc(new Date(report.bus.lastError.at).toISOString())}` : ""}</td></tr></table>`
    : `<p class="muted">no bus: this server runs alone</p>`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Synced-Store admin</title><style>${STYLE}</style></head><body>
<h1>Synced-Store admin</h1>
<p class="muted">${esc(report.at)} · ${report.connections} connections · ${report.spaces.length} spaces held · <a href="${esc(jsonPath)}">JSON</a></p>
${spaces.join("\n") || `<p class="muted">no space held</p>`}
<h2>Bus</h2>${bus}
</body></html>`;
}
