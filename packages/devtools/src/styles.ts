/** The panel's stylesheet: every rule under `.ssd`, so it neither leaks into the app nor takes from it. */
export const STYLES = `
.ssd-toggle{position:fixed;left:0;top:50%;transform:translateY(-50%);z-index:2147483646;width:16px;height:48px;padding:0;
  border:0;border-radius:0 6px 6px 0;background:#1f2430cc;color:#9fd3ff;font:700 9px ui-monospace,monospace;
  writing-mode:vertical-rl;box-shadow:0 2px 8px #0004;cursor:pointer;opacity:.75}
.ssd-toggle:hover,.ssd-toggle:focus-visible{opacity:1;outline:2px solid #9fd3ff;outline-offset:1px}
.ssd{position:fixed;left:0;right:0;bottom:0;height:46vh;min-height:260px;z-index:2147483647;display:flex;flex-direction:column;
  background:#171a21;color:#d8dee9;font:12px/1.4 ui-sans-serif,system-ui,sans-serif;box-shadow:0 -4px 18px #0006;text-align:left}
.ssd *{box-sizing:border-box}
.ssd-bar{display:flex;align-items:center;gap:8px;padding:4px 8px;background:#1f2430;border-bottom:1px solid #2c3240}
.ssd-title{font-weight:700;color:#9fd3ff;margin-right:6px}
.ssd-tabs{display:flex;gap:2px;flex:1;flex-wrap:wrap}
.ssd-tab{background:none;border:0;color:#aab3c2;padding:5px 9px;border-radius:4px;cursor:pointer;font:inherit}
.ssd-tab[aria-selected=true]{background:#2c3444;color:#fff}
.ssd-count{display:inline-block;min-width:16px;margin-left:4px;padding:0 4px;border-radius:8px;background:#39425a;font-size:11px;text-align:center}
.ssd-count.ssd-bad{background:#8a2f3a}
.ssd select,.ssd input,.ssd-btn{background:#232836;color:#d8dee9;border:1px solid #39425a;border-radius:4px;padding:3px 6px;font:inherit}
.ssd-btn{cursor:pointer}.ssd-btn:hover{background:#2c3444}
.ssd-body{flex:1;min-height:0;overflow:auto;padding:8px}
.ssd-split{display:flex;gap:8px;height:100%;min-height:0}
.ssd-col{flex:1;min-width:0;display:flex;flex-direction:column;min-height:0}
.ssd-meta{display:flex;gap:14px;flex-wrap:wrap;color:#8d97a8;margin-bottom:6px}
.ssd-meta b{color:#d8dee9;font-weight:600}
.ssd table{border-collapse:collapse;width:100%}
.ssd th,.ssd td{padding:3px 6px;border-bottom:1px solid #262c38;vertical-align:top;text-align:left}
.ssd th{color:#8d97a8;font-weight:600;position:sticky;top:0;background:#171a21}
.ssd code,.ssd pre,.ssd-mono{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
.ssd pre{margin:0;white-space:pre-wrap;word-break:break-word;background:#11141a;border:1px solid #262c38;border-radius:4px;padding:6px;overflow:auto}
.ssd-list{flex:1;min-height:0;overflow:auto;border:1px solid #262c38;border-radius:4px;position:relative}
.ssd-row{height:100%;display:flex;align-items:center;gap:6px;padding:0 8px;cursor:pointer;white-space:nowrap;overflow:hidden}
.ssd-row:hover{background:#202634}.ssd-row[aria-selected=true]{background:#2c3a55}
.ssd-badge{font-size:10px;padding:0 5px;border-radius:3px;background:#39425a;color:#d8dee9}
.ssd-badge.ssd-set{background:#2d5a3d}.ssd-badge.ssd-deleted{background:#7a3340}.ssd-badge.ssd-wait{background:#6b5a23}
.ssd-muted{color:#8d97a8}.ssd-err{color:#ff9aa5}.ssd-ok{color:#8fe0a8}
.ssd-in{color:#8fd0ff}.ssd-out{color:#f5c17a}
.ssd h4{margin:8px 0 4px;font-size:12px;color:#aab3c2}
`;
