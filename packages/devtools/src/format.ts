/** `1.2 s ago`-style text for a duration in ms. */
export function formatAge(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** `12.3 kB`-style text for a byte count. */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Clock time of an epoch-ms instant, with milliseconds. */
export function formatTime(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Characters of JSON shown before a value is cut (the panel must stay fast on huge values). */
const MAX_JSON_CHARS = 20_000;

/** Indented JSON of `value`, cut past `MAX_JSON_CHARS`; `absent` for undefined. */
export function formatJson(value: unknown, absent = "(absent)"): string {
  if (value === undefined) return absent;
  const text = stringify(value, 2);
  return text.length > MAX_JSON_CHARS
    ? `${text.slice(0, MAX_JSON_CHARS)}\n… (${text.length} characters)`
    : text;
}

/** One-line JSON of `value`, cut at `max` characters. */
export function formatInline(value: unknown, max = 120): string {
  const text = value === undefined ? "" : stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** JSON of a value that may not be JSON (a cycle, a bigint): then a marker instead of throwing. */
function stringify(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? typeof value;
  } catch {
    return `(${typeof value}: not JSON)`;
  }
}
