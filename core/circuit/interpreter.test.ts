/**
 * The level-batched interpreter, the level schedule, the bit-sliced plaintext backend, the gate
 * counter and the value helpers, against a naive gate-by-gate single-instance evaluator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CircuitBackend } from './backend.ts';
import { parseBristolFashion } from './bristol-fashion.ts';
import { type Circuit, GATE_STRIDE, GateOp, gateCount } from './circuit.ts';
import { GateCounter } from './gate-counter.ts';
import { evaluateCircuit } from './interpreter.ts';
import { levelize } from './levelize.ts';
import { PlaintextBackend } from './plaintext-backend.ts';
import { bigintFromBytes, bytesFromBigint, decodeNumbers, decodeValues, encodeValues, runPlaintext } from './values.ts';
import { arbitraryCircuit, naiveEvaluate } from '../../test/support/circuits.ts';
import { readFileSync } from 'node:fs';

/** A circuit with random input values for `instances` instances. */
const circuitWithInputs = arbitraryCircuit(60).chain((c) =>
  fc.integer({ min: 1, max: 70 }).chain((n) =>
    fc.tuple(
      fc.constant(c),
      fc.tuple(...c.inputWidths.map((w) => fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), { minLength: n, maxLength: n }))),
    ),
  ),
);

describe('interpreter on the plaintext backend', () => {
  it('matches a naive gate-by-gate evaluation of every instance', () => {
    fc.assert(
      fc.property(circuitWithInputs, ([c, inputs]) => {
        const out = runPlaintext(c, inputs, inputs[0]!.length);
        for (let i = 0; i < inputs[0]!.length; i++) {
          assert.deepEqual(out.map((o) => o[i]), naiveEvaluate(c, inputs.map((v) => v[i]!)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects inputs of the wrong shape', () => {
    const c = parseBristolFashion('1 3\n2 1 1\n1 1\n\n2 1 0 1 2 AND\n');
    const b = new PlaintextBackend(3);
    assert.throws(() => evaluateCircuit(b, c, [[b.constant(1)]]), /takes 2 input values, got 1/);
    assert.throws(() => evaluateCircuit(b, c, [[b.constant(1)], []]), /input 1 must have 1 wires, got 0/);
  });
});

/** A backend that records every call, to check how the interpreter batches AND gates. */
class RecordingCounter extends GateCounter {
  readonly batches: number[] = [];
  override andN(a: readonly number[], b: readonly number[]): number[] {
    this.batches.push(a.length);
    return super.andN(a, b);
  }
}

describe('levelize and batched AND levels', () => {
  it('schedules every gate once; AND gates of a batch are independent and their inputs come earlier', () => {
    fc.assert(
      fc.property(arbitraryCircuit(80), (c) => {
        const levels = levelize(c);
        const seen = new Uint8Array(gateCount(c));
        const ready = new Uint8Array(c.wireCount);
        ready.fill(1, 0, c.inputWidths.reduce((s, w) => s + w, 0));
        const g = c.gates;
        const isReady = (k: number, op: number): boolean =>
          op === GateOp.EQ || (ready[g[k + 1]!] === 1 && (op !== GateOp.XOR && op !== GateOp.AND ? true : ready[g[k + 2]!] === 1));
        levels.steps.forEach((step, d) => {
          for (const i of step.free) {
            const k = i * GATE_STRIDE;
            assert.notEqual(g[k], GateOp.AND);
            assert.equal(levels.gateDepth[i], d);
            assert.ok(isReady(k, g[k]!));
            ready[g[k + 3]!] = 1;
            seen[i]!++;
          }
          for (const i of step.ands) assert.ok(isReady(i * GATE_STRIDE, GateOp.AND), 'AND inputs ready before the batch');
          for (const i of step.ands) {
            assert.equal(levels.gateDepth[i], d + 1);
            ready[g[i * GATE_STRIDE + 3]!] = 1;
            seen[i]!++;
          }
        });
        assert.ok(seen.every((x) => x === 1));
        assert.equal(levels.steps.length, levels.andDepth + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('the interpreter makes one andN call per non-empty level; the counter agrees with the static counts', () => {
    fc.assert(
      fc.property(arbitraryCircuit(80), (c) => {
        const counter = new RecordingCounter();
        evaluateCircuit(counter, c, c.inputWidths.map((w) => Array.from({ length: w }, () => counter.input())));
        const levels = levelize(c);
        const ops = [0, 0, 0, 0, 0];
        for (let k = 0; k < c.gates.length; k += GATE_STRIDE) ops[c.gates[k]!]!++;
        const counts = counter.counts();
        assert.deepEqual(
          [counts.and, counts.xor, counts.not, counts.constant, counts.andDepth],
          [ops[GateOp.AND], ops[GateOp.XOR], ops[GateOp.INV], ops[GateOp.EQ], levels.andDepth],
        );
        assert.deepEqual(counter.batches, levels.steps.map((s) => s.ands.length).filter((n) => n > 0));
      }),
      { numRuns: 200 },
    );
  });

  it('AES-128: 6400 AND gates and AND depth 60, as published with the Bristol Fashion circuits', () => {
    const aes = parseBristolFashion(readFileSync(new URL('../../test/vectors/bristol/aes_128.txt', import.meta.url), 'utf8'));
    const levels = levelize(aes);
    assert.equal(levels.andCount, 6400);
    assert.equal(levels.andDepth, 60);
  });
});

describe('plaintext backend', () => {
  const bits = (n: number) => fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n });
  const sized = fc.integer({ min: 1, max: 100 }).chain((n) => fc.tuple(fc.constant(n), bits(n), bits(n)));

  it('xor, and, not, constant and andN act per instance; bits past the instances stay zero', () => {
    fc.assert(
      fc.property(sized, ([n, x, y]) => {
        const b = new PlaintextBackend(n);
        const [X, Y] = [b.bundle(x), b.bundle(y)];
        const check = (w: Uint32Array, f: (i: number) => number) => {
          for (let i = 0; i < n; i++) assert.equal(b.bit(w, i), f(i));
          if (n % 32 !== 0) assert.equal(w[w.length - 1]! >>> n % 32, 0);
        };
        check(b.xor(X, Y), (i) => x[i]! ^ y[i]!);
        check(b.and(X, Y), (i) => x[i]! & y[i]!);
        check(b.not(X), (i) => 1 - x[i]!);
        check(b.constant(1), () => 1);
        check(b.constant(0), () => 0);
        const [z] = b.andN([X], [b.not(Y)]);
        check(z!, (i) => x[i]! & (1 - y[i]!));
      }),
    );
  });

  it('argument checks', () => {
    assert.throws(() => new PlaintextBackend(0), RangeError);
    const b = new PlaintextBackend(5);
    assert.throws(() => b.bundle([1]), RangeError);
    assert.throws(() => b.bit(b.constant(0), 5), RangeError);
    assert.throws(() => b.andN([b.constant(0)], []), RangeError);
  });
});

describe('value helpers', () => {
  it('encode/decode round-trip LSB first, for numbers and bigints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }).chain((w) => fc.tuple(fc.constant(w), fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), { minLength: 1, maxLength: 40 }))), ([w, values]) => {
        const b = new PlaintextBackend(values.length);
        const wires = encodeValues(b, w, values);
        assert.equal(wires.length, w);
        assert.deepEqual(decodeValues(b, wires), values);
        if (values.length > 0 && w > 0) assert.equal(b.bit(wires[0]!, 0), Number(values[0]! & 1n));
        if (w <= 53) assert.deepEqual(decodeNumbers(b, encodeValues(b, w, values.map(Number))), values.map(Number));
      }),
    );
  });

  it('rejects values that do not fit', () => {
    const b = new PlaintextBackend(1);
    assert.throws(() => encodeValues(b, 3, [8]), RangeError);
    assert.throws(() => encodeValues(b, 3, [-1n]), RangeError);
    assert.throws(() => encodeValues(b, 3, [1.5]), RangeError);
    assert.throws(() => encodeValues(b, 3, [1, 2]), RangeError);
    assert.throws(() => decodeNumbers(b, encodeValues(b, 60, [0])), RangeError);
  });

  it('bytes ↔ big-endian integers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        assert.deepEqual(bytesFromBigint(bigintFromBytes(bytes), bytes.length), bytes);
      }),
    );
    assert.equal(bigintFromBytes(Uint8Array.of(1, 2)), 0x0102n);
    assert.throws(() => bytesFromBigint(256n, 1), RangeError);
  });

  it('the counter backend needs no values: constants and inputs are depth 0', () => {
    const counter: CircuitBackend<number> = new GateCounter(4);
    assert.equal(counter.instances, 4);
    assert.equal(counter.and(counter.constant(1), counter.xor(0, 2)), 3);
  });
});

/** Circuits are plain data: a hand-built one runs like a parsed one. */
describe('hand-built circuits', () => {
  it('a 1-bit full adder built as IR', () => {
    // Wires: 0 a, 1 b, 2 carry in; 3 = a^b, 4 = a&b, 5 = (a^b)&cin, 7 = sum, 8 = carry out, 6 = unused copy of the sum.
    const c: Circuit = {
      wireCount: 9,
      inputWidths: [1, 1, 1],
      outputWidths: [2],
      gates: Int32Array.from([GateOp.XOR, 0, 1, 3, GateOp.AND, 0, 1, 4, GateOp.AND, 3, 2, 5, GateOp.XOR, 3, 2, 7, GateOp.XOR, 4, 5, 8, GateOp.EQW, 7, -1, 6]),
    };
    const all = [0, 1].flatMap((a) => [0, 1].flatMap((b) => [0, 1].map((ci) => [a, b, ci])));
    const out = runPlaintext(c, [all.map((t) => t[0]!), all.map((t) => t[1]!), all.map((t) => t[2]!)]);
    assert.deepEqual(out[0], all.map(([a, b, ci]) => BigInt(a! + b! + ci!)));
  });
});
