import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseBristolFashion, writeBristolFashion } from './bristol-fashion.ts';
import { levelize } from './levelize.ts';
import { add } from './lib/arith.ts';
import { constantBits } from './lib/gates.ts';
import { modulusWidth } from './lib/modp.ts';
import { neuronAndCount, neuronCircuit, neuronReference, neuronServerInputs, type NeuronSpec } from './lib/neuron.ts';
import { CircuitRecorder, recordCircuit } from './recorder.ts';
import { runPlaintext } from './values.ts';

describe('circuit recorder', () => {
  it('a recorded adder (with a constant operand folded) runs in the interpreter and survives Bristol Fashion', () => {
    const c = recordCircuit([8, 8], (g, [a, b]) => [add(g, a!, b!), add(g, a!, constantBits(3, 8))]);
    assert.deepEqual([c.inputWidths, c.outputWidths], [[8, 8], [9, 9]]);
    const rows = [[0, 0], [255, 255], [17, 200], [128, 127]];
    assert.deepEqual(runPlaintext(c, [rows.map((r) => r[0]!), rows.map((r) => r[1]!)]), [rows.map(([a, b]) => BigInt(a! + b!)), rows.map(([a]) => BigInt(a! + 3))]);
    assert.deepEqual(parseBristolFashion(writeBristolFashion(c)).gates, c.gates);
  });

  it('the recorded neuron circuit computes the neuron; its AND gates are the documented count', () => {
    const spec: NeuronSpec = { p: 65537, pool: 4, shift: 3 };
    const c = neuronCircuit(spec);
    assert.equal(levelize(c).andCount, neuronAndCount(spec));
    const p = spec.p;
    const w = modulusWidth(p);
    assert.deepEqual(c.inputWidths, Array(9).fill(w));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(fc.nat(p - 1), { minLength: 4, maxLength: 4 }), fc.array(fc.nat(p - 1), { minLength: 4, maxLength: 4 }), fc.nat(p - 1)), { minLength: 1, maxLength: 40 }), (rows) => {
        const prepared = rows.map(([, s, r]) => neuronServerInputs(spec, s, r));
        const inputs = [
          ...[0, 1, 2, 3].map((j) => rows.map((r) => r[0][j]!)),
          ...[0, 1, 2, 3].map((j) => prepared.map((x) => x.server[j]!)),
          prepared.map((x) => x.mask),
        ];
        const expected = rows.map(([c0, s, r]) => BigInt(neuronReference(spec, c0, s, r)));
        assert.deepEqual(runPlaintext(c, inputs)[0], expected);
      }),
      { numRuns: 10 },
    );
  });

  it('inputs must come first', () => {
    const r = new CircuitRecorder();
    const [a] = r.input(1);
    r.not(a!);
    assert.throws(() => r.input(1), RangeError);
    assert.throws(() => r.andN([a!], []), RangeError);
  });
});
