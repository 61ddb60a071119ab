/** One line of a benchmark's result table. */
export interface ResultRow {
  metric: string;
  /** Formatted for the table. */
  value: string;
  /** The number behind `value`, for the JSON results (undefined for text-only rows). */
  raw?: number;
  unit?: string;
  note?: string;
}

export interface BenchmarkResult {
  id: string;
  title: string;
  rows: ResultRow[];
  /** Free-text lines printed under the table. */
  notes: string[];
  /** Everything measured, for results/latest.json. */
  data: Record<string, unknown>;
}

export interface BenchOptions {
  /** Run the collector under `node --cpu-prof` and summarise the hottest functions. */
  profile: boolean;
  /** Shorter phases, for a smoke test of the harness (numbers are noisier). */
  quick: boolean;
}

export interface BenchContext {
  options: BenchOptions;
  /** A scratch directory removed at the end. */
  tmpDir: string;
  /** Where profiles and other artefacts worth keeping go (bench/results/). */
  resultsDir: string;
  log(line: string): void;
}

export interface Benchmark {
  id: string;
  title: string;
  /** One sentence for `--list`. */
  summary: string;
  run(ctx: BenchContext): Promise<BenchmarkResult>;
}
