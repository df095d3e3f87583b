/**
 * A Prometheus counter or gauge with labels, for `/metrics`. Label values must come from a
 * closed set (wire codes, transports): every distinct combination is a series kept forever.
 */
export class LabeledCounter<TLabel extends string> {
  readonly #values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labels: readonly TLabel[],
    readonly type: "counter" | "gauge" = "counter",
  ) {}

  /** Adds `by` (default 1, negative for a gauge going down) to the series of `values`. */
  add(values: Readonly<Record<TLabel, string>>, by = 1): void {
    const key = this.labels.map((l) => `${l}="${escapeLabel(values[l])}"`).join(",");
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  /** Sets the series of `values` to `value` (for a gauge). */
  set(values: Readonly<Record<TLabel, string>>, value: number): void {
    this.#values.set(this.labels.map((l) => `${l}="${escapeLabel(values[l])}"`).join(","), value);
  }

  /** The value of one series (0 when it was never touched). */
  get(values: Readonly<Record<TLabel, string>>): number {
    const key = this.labels.map((l) => `${l}="${escapeLabel(values[l])}"`).join(",");
    return this.#values.get(key) ?? 0;
  }

  toPrometheus(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const [key, value] of this.#values) lines.push(`${this.name}{${key}} ${value}`);
    return lines;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
