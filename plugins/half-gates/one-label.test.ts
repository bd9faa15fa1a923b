/**
 * What the evaluator can derive: in a small circuit, collect every 16-byte block the evaluator holds
 * or computes (its active label of every wire, every table row, every hash it evaluates) and check,
 * by Gaussian elimination over GF(2)^128, that Δ is not in their span, so no inactive label
 * (active ⊕ Δ) is an XOR of them. (Hashes of inactive labels are partly exposed by design:
 * T_G ⊕ H(A_a) = H(A_{1-a}) ⊕ p_b·Δ; hiding A_{1-a} behind them is what the TCCR hash is for.)
 * The circuit is small enough that the span has far fewer than 128 dimensions, so a random Δ falls
 * into it with probability below 2^-64: passing is evidence, not luck. The same check flags two
 * deliberate leaks, so it can fail.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Circuit } from '../../core/circuit/circuit.ts';
import type { GarblingScheme } from '../../core/garbling.ts';
import { TccrHash } from '../../core/crypto/tccr.ts';
import { EvaluatorBackend } from '../../core/gc/evaluator-backend.ts';
import { GarblerBackend } from '../../core/gc/garbler-backend.ts';
import { LABEL_BYTES, randomDelta } from '../../core/gc/labels.ts';
import { circuitProgram } from '../../core/gc/program.ts';
import { TableSink, TableSource } from '../../core/gc/table-stream.ts';
import { concatBytes, randomBytes, xorInto } from '../../core/bytes.ts';
import { MemoryTransport } from '../transport-memory/memory-transport.ts';
import { blockToBigInt, Span } from '../../test/support/gf2-span.ts';
import { HalfGates } from './half-gates.ts';

/** 4-bit a, b: c_i = a_i ∧ b_i, d = c_0 ⊕ c_1 ⊕ c_2 ⊕ ¬c_3, e = d ∧ a_0. Outputs c, d, e. */
const CIRCUIT: Circuit = (() => {
  const gates = [
    [1, 0, 4, 8], [1, 1, 5, 9], [1, 2, 6, 10], [1, 3, 7, 11],
    [0, 8, 9, 12], [0, 12, 10, 13], [2, 11, -1, 14], [0, 13, 14, 15], [1, 15, 0, 16],
    [4, 8, -1, 17], [4, 9, -1, 18], [4, 10, -1, 19], [4, 11, -1, 20], [4, 15, -1, 21], [4, 16, -1, 22],
  ];
  return { wireCount: 23, inputWidths: [4, 4], outputWidths: [4, 1, 1], gates: Int32Array.from(gates.flat()) };
})();

const toBig = blockToBigInt;

/** The evaluator's table source, keeping every table it hands out. */
class RecordingSource extends TableSource {
  readonly taken: Uint8Array[] = [];
  override take(bytes: number): Uint8Array {
    const tables = super.take(bytes);
    this.taken.push(tables.slice());
    return tables;
  }
}

/** The evaluator's backend, keeping every label it computes. */
class RecordingEvaluator extends EvaluatorBackend {
  readonly seen: Uint8Array[] = [];
  readonly andInputs: { a: Uint8Array; b: Uint8Array; gate: number }[] = [];
  override xor(a: number, b: number): number {
    return this.#keep(super.xor(a, b));
  }
  override not(a: number): number {
    return this.#keep(super.not(a));
  }
  override andN(a: readonly number[], b: readonly number[]): number[] {
    a.forEach((w, k) => this.andInputs.push({ a: this.labels(w), b: this.labels(b[k]!), gate: this.nextGateId + k }));
    return super.andN(a, b).map((w) => this.#keep(w));
  }
  #keep(w: number): number {
    this.seen.push(this.labels(w));
    return w;
  }
}

/** Garble and evaluate CIRCUIT once (one instance) with `scheme`; return the evaluator's view and Δ. */
async function evaluatorView(scheme: GarblingScheme, leak?: (zero: Uint8Array) => Uint8Array[]) {
  const delta = randomDelta();
  const program = circuitProgram(CIRCUIT, 1);
  const sink = new TableSink();
  const garbler = new GarblerBackend(scheme, delta, 1, sink);
  const zero = randomBytes(8 * LABEL_BYTES);
  const bits = Array.from(randomBytes(8), (b) => b & 1);
  const active = zero.slice();
  bits.forEach((bit, i) => bit && xorInto(active.subarray(i * LABEL_BYTES, (i + 1) * LABEL_BYTES), delta));
  const wiresOf = (backend: GarblerBackend | EvaluatorBackend, labels: Uint8Array) =>
    [0, 1].map((v) => Array.from({ length: 4 }, (_, j) => backend.input(labels.subarray((4 * v + j) * LABEL_BYTES, (4 * v + j + 1) * LABEL_BYTES))));
  const g = program.steps(garbler, wiresOf(garbler, zero));
  while (!g.next().done);
  const { client, server } = await new MemoryTransport().pair();
  const source = new RecordingSource(client, sink.pending);
  await sink.drainTo(server);
  const evaluator = new RecordingEvaluator(scheme, 1, source);
  const steps = program.steps(evaluator, wiresOf(evaluator, active));
  for (let s = steps.next(); !s.done; s = steps.next()) await source.ensure(s.value * scheme.tableBytesPerAnd);
  const tables = concatBytes(source.taken);
  const hash = new TccrHash();
  const h = (label: Uint8Array, tweak: number) => {
    const out = new Uint8Array(LABEL_BYTES);
    hash.hash(label, out, tweak);
    return out;
  };
  const view: Uint8Array[] = [...Array.from({ length: 8 }, (_, i) => active.subarray(i * LABEL_BYTES, (i + 1) * LABEL_BYTES)), ...evaluator.seen];
  for (let k = 0; k < tables.length; k += LABEL_BYTES) view.push(tables.subarray(k, k + LABEL_BYTES));
  for (const { a, b, gate } of evaluator.andInputs) view.push(h(a, 2 * gate), h(b, 2 * gate + 1));
  if (leak) view.push(...leak(zero));
  const span = new Span();
  for (const block of view) span.add(toBig(block));
  return { span, delta, blocks: view.length, ands: evaluator.andInputs.length };
}

/** Half-gates with the hash left out of the garbler half (T_G = (A0 ⊕ A1) ⊕ pb·Δ): a deliberate leak. */
class UnhashedGarblerHalf extends HalfGates {
  override garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    super.garbleAnd(a0, b0, delta, firstGateId, outZero, tables);
    for (let g = 0; g < a0.length / LABEL_BYTES; g++) {
      const tg = tables.subarray(2 * g * LABEL_BYTES, (2 * g + 1) * LABEL_BYTES);
      tg.set(delta);
      if (b0[g * LABEL_BYTES]! & 1) tg.fill(0);
    }
  }
}

describe('half-gates: the evaluator learns one label per wire', () => {
  it('Δ, hence every inactive label, lies outside the span of everything it holds or computes', async () => {
    for (let run = 0; run < 20; run++) {
      const { span, delta, blocks, ands } = await evaluatorView(new HalfGates());
      assert.equal(ands, 5);
      assert.ok(span.dimension <= blocks && span.dimension < 64, `view spans ${span.dimension} of 128 dimensions`);
      assert.equal(span.inSpan(toBig(delta)), false, 'Δ is derivable from the evaluator\'s view');
    }
  });

  it('the same check flags a view that includes one zero-label of an input wire', async () => {
    const { span, delta } = await evaluatorView(new HalfGates(), (zero) => [zero.subarray(0, LABEL_BYTES), zero.subarray(LABEL_BYTES, 2 * LABEL_BYTES)]);
    // Both zero-labels of wires 0 and 1 are in the view with their active labels; one of the two
    // input bits is 1 with probability 3/4, and then Δ = zero ⊕ active is in the span. Retry until it is.
    let flagged = span.inSpan(toBig(delta));
    for (let i = 0; i < 30 && !flagged; i++) {
      const again = await evaluatorView(new HalfGates(), (zero) => [zero.subarray(0, LABEL_BYTES), zero.subarray(LABEL_BYTES, 2 * LABEL_BYTES)]);
      flagged = again.span.inSpan(toBig(again.delta));
    }
    assert.ok(flagged, 'a leaked zero-label was never detected');
  });

  it('the same check flags a scheme that forgets to hash the garbler half', async () => {
    let flagged = false;
    for (let i = 0; i < 30 && !flagged; i++) {
      const { span, delta } = await evaluatorView(new UnhashedGarblerHalf());
      flagged = span.inSpan(toBig(delta));
    }
    assert.ok(flagged, 'the unhashed garbler half was never detected');
  });
});
