/** Every benchmark suite, by name. A suite is loaded only when run. */
import type { BenchSuite } from './suite.ts';

export interface BenchSuiteEntry {
  readonly summary: string;
  /** The suite honours `BenchOptions.network`; `gazelle bench` refuses a network profile for the others. */
  readonly network?: boolean;
  readonly load: () => Promise<BenchSuite>;
}

export const BENCH_SUITES: Readonly<Record<string, BenchSuiteEntry>> = {
  transport: { summary: 'TCP (two processes) and in-memory throughput, MB/s', load: async () => (await import('./transport.ts')).suite },
  ot: { summary: 'Chou-Orlandi base OT and IKNP correlated/random/chosen OT: OTs per second per party, bytes per OT', load: async () => (await import('./ot.ts')).suite },
  he: { summary: 'GAZELLE kernels on seal-bfv per preset: FC 784→128, Conv 5x5 1→16, Conv 3x3 64→64: seconds vs Σ count × op time, bytes each way', load: async () => (await import('./he.ts')).suite },
  circuit: { summary: 'Bristol parsing, bit-sliced plaintext backend throughput (AES-128, 1..8192 instances), library neuron', load: async () => (await import('./circuit.ts')).suite },
  e2e: {
    summary: 'private inference end to end, two processes over loopback TCP: setup, offline and online seconds, bytes each way, rounds, per layer (--network A,B,C,D,CIFAR)',
    network: true,
    load: async () => (await import('./e2e.ts')).suite,
  },
  serve: {
    summary: 'gazelle serve under load, server and clients in separate processes on loopback: 8 clients × 25 inferences (throughput, p50/p95), 100 clients killed at random points, a soak of 1,000 inferences (RSS, wasm heap, live node-seal objects)',
    load: async () => (await import('./serve.ts')).suite,
  },
  gc: { summary: 'garbled circuits: garble/evaluate AND gates per second per party, bytes per AND (half-gates vs classic)', load: async () => (await import('./gc.ts')).suite },
};
