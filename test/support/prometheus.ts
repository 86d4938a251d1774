/** One sample line of the Prometheus text format: `name{label="value",...} value`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** Metric family name -> counter, gauge, histogram, summary or untyped. */
  readonly types: Readonly<Record<string, string>>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/**
 * Parses the Prometheus text exposition format (version 0.0.4), strictly: a line that is not
 * a comment, a blank, or a well-formed sample throws, so a malformed /metrics fails its test.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 *
 * @example
 *   parsePrometheus('# TYPE x_total counter\nx_total{a="b"} 3\n').samples  // [{ name: 'x_total', labels: { a: 'b' }, value: 3 }]
 */
export function parsePrometheus(text: string): Exposition {
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type) types[type[1]!] = type[2]!;
      else if (line.startsWith('# TYPE ')) throw new Error(`line ${index + 1}: malformed TYPE line: ${line}`);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`line ${index + 1}: not a sample: ${line}`);
    const value = parseValue(match[3]!);
    if (Number.isNaN(value) && match[3]!.toLowerCase() !== 'nan') throw new Error(`line ${index + 1}: not a number: ${match[3]}`);
    samples.push({ name: match[1]!, labels: parseLabels(match[2] ?? '', index + 1), value });
  }
  return { samples, types };
}

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none (a counter not yet counted). */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const matching = exposition.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}; name more labels`);
  return matching[0]?.value ?? 0;
}

function parseLabels(text: string, lineNumber: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match) throw new Error(`line ${lineNumber}: malformed labels at: ${text.slice(start)}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return labels;
}

/** As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case; prom-client writes `Nan`. */
function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  return lower === 'nan' ? Number.NaN : Number(text);
}
