/**
 * Circuit benchmark (no cryptography): Bristol parsing speed, the bit-sliced plaintext backend's
 * throughput on AES-128 from 1 to many instances, and the neuron circuit of the library.
 *
 * - `parse`: milliseconds to read aes_128 and sha256 (Bristol Fashion), best of a few reads.
 * - `plaintextAes`: gate·instances per second at each instance count; `bitSliceSpeedup` is the
 *   ratio of the largest count's throughput to one instance's, measured in the same run.
 * - `neuron`: the ReLU neuron on shares (p = 557057), neurons per second on the plaintext backend,
 *   and its AND gates and AND batches per neuron (gate counter).
 */
import { loadBristolFile } from '../core/circuit/bristol.ts';
import { GateCounter } from '../core/circuit/gate-counter.ts';
import { evaluateCircuit } from '../core/circuit/interpreter.ts';
import { levelize } from '../core/circuit/levelize.ts';
import { Gates } from '../core/circuit/lib/gates.ts';
import { modulusWidth } from '../core/circuit/lib/modp.ts';
import { neuron, neuronServerInputs } from '../core/circuit/lib/neuron.ts';
import { PlaintextBackend } from '../core/circuit/plaintext-backend.ts';
import { encodeValues } from '../core/circuit/values.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';

const VECTORS = new URL('../test/vectors/bristol/', import.meta.url).pathname;

/** Best (smallest) wall-clock milliseconds of `work` over `repeats` runs. */
function bestMs(repeats: number, work: () => void): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function run({ quick, log }: BenchOptions): Promise<Record<string, unknown>> {
  const repeats = quick ? 1 : 3;
  const parse: Record<string, number> = {};
  for (const name of quick ? ['adder64'] : ['aes_128', 'sha256']) {
    parse[name] = bestMs(repeats, () => loadBristolFile(`${VECTORS}${name}.txt`));
    log(`parse ${name}: ${parse[name]!.toFixed(1)} ms`);
  }

  const aes = loadBristolFile(`${VECTORS}aes_128.txt`);
  const levels = levelize(aes);
  const gates = aes.gates.length / 4;
  const plaintextAes: Record<string, number> = {};
  const counts = quick ? [1, 64] : [1, 256, 8192];
  for (const n of counts) {
    const backend = new PlaintextBackend(n);
    const inputs = aes.inputWidths.map((w) => encodeValues(backend, w, Array.from({ length: n }, (_, i) => BigInt(i))));
    const ms = bestMs(repeats, () => evaluateCircuit(backend, aes, inputs, levels));
    plaintextAes[`instances${n}`] = (gates * n) / (ms / 1000);
    log(`plaintext AES-128 x${n}: ${ms.toFixed(1)} ms, ${(plaintextAes[`instances${n}`]! / 1e6).toFixed(0)} M gate·instances/s`);
  }
  const bitSliceSpeedup = plaintextAes[`instances${counts[counts.length - 1]}`]! / plaintextAes.instances1!;

  const p = 557057;
  const w = modulusWidth(p);
  const n = quick ? 64 : 4096;
  const counter = new GateCounter();
  const fresh = (): number[] => Array.from({ length: w }, () => counter.input());
  neuron(new Gates(counter), { p }, { client: [fresh()], server: [fresh()], mask: fresh() });
  const backend = new PlaintextBackend(n);
  const prepared = Array.from({ length: n }, (_, i) => neuronServerInputs({ p }, [(i * 7919) % p], (i * 104729) % p));
  const client = encodeValues(backend, w, Array.from({ length: n }, (_, i) => (i * 31337) % p));
  const server = encodeValues(backend, w, prepared.map((x) => x.server[0]!));
  const mask = encodeValues(backend, w, prepared.map((x) => x.mask));
  const g = new Gates(backend);
  const ms = bestMs(repeats, () => g.wires(neuron(g, { p }, { client: [client], server: [server], mask })));
  const neuronFigures = { p, andsPerNeuron: counter.counts().and, andBatchesPerNeuron: counter.counts().andBatches, neuronsPerSecond: n / (ms / 1000) };
  log(`neuron p=${p}: ${neuronFigures.andsPerNeuron} ANDs in ${neuronFigures.andBatchesPerNeuron} batches, ${neuronFigures.neuronsPerSecond.toFixed(0)} neurons/s (plaintext, ${n} at once)`);

  return { parseMs: parse, plaintextAes, bitSliceSpeedup, neuron: neuronFigures };
}

export const suite: BenchSuite = {
  name: 'circuit',
  summary: 'Bristol parsing, bit-sliced plaintext backend throughput (AES-128, 1..8192 instances), library neuron',
  run,
};
