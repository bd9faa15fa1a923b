/** A benchmark suite: `gazelle bench <name>` runs it and prints its result (JSON with --json). */
export interface BenchOptions {
  /** Quick mode: small sizes, for smoke tests of the bench code itself. */
  readonly quick: boolean;
  /** Progress lines (to stderr), silent in JSON mode. */
  readonly log: (line: string) => void;
}

export interface BenchSuite {
  readonly name: string;
  readonly summary: string;
  run(options: BenchOptions): Promise<Record<string, unknown>>;
}
