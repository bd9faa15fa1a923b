/** Every benchmark suite, by name. A suite is loaded only when run. */
import type { BenchSuite } from './suite.ts';

export const BENCH_SUITES: Readonly<Record<string, { summary: string; load: () => Promise<BenchSuite> }>> = {};
