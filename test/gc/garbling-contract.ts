/**
 * The contract every `GarblingScheme` must meet, as node:test tests: for random zero-labels, Δ and
 * input bits, evaluating with the active input labels yields the active output label
 * C0 ⊕ (x ∧ y)·Δ, and nothing else (wrong gate id or wrong table gives neither output label);
 * salted instances keep the contract, salt 0 garbles exactly like the plugin's own instance, and
 * a wrong salt is like a wrong gate id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { GarblingScheme } from '../../core/garbling.ts';
import { LABEL_BYTES } from '../../core/gc/labels.ts';

const label = fc.uint8Array({ minLength: LABEL_BYTES, maxLength: LABEL_BYTES });
const delta = label.map((d) => ((d[0]! |= 1), d));

function activeLabels(zero: Uint8Array, bits: readonly boolean[], d: Uint8Array): Uint8Array {
  const out = zero.slice();
  bits.forEach((bit, g) => {
    if (bit) for (let k = 0; k < LABEL_BYTES; k++) out[g * LABEL_BYTES + k]! ^= d[k]!;
  });
  return out;
}

/** Gates with random zero-labels and input bits. */
const gates = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.record({
      a0: fc.uint8Array({ minLength: n * LABEL_BYTES, maxLength: n * LABEL_BYTES }),
      b0: fc.uint8Array({ minLength: n * LABEL_BYTES, maxLength: n * LABEL_BYTES }),
      x: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      y: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      delta,
      firstGateId: fc.nat({ max: 2 ** 40 }),
    }),
  );

export function garblingSchemeContract(scheme: GarblingScheme): void {
  const garble = (g: { a0: Uint8Array; b0: Uint8Array; delta: Uint8Array; firstGateId: number }) => {
    const n = g.a0.length / LABEL_BYTES;
    const outZero = new Uint8Array(g.a0.length);
    const tables = new Uint8Array(n * scheme.tableBytesPerAnd);
    scheme.garbleAnd(g.a0, g.b0, g.delta, g.firstGateId, outZero, tables);
    return { outZero, tables };
  };

  test(`${scheme.name}: evaluating with either active label of each input yields C0 ⊕ (x∧y)·Δ`, () => {
    fc.assert(
      fc.property(gates, (g) => {
        const { outZero, tables } = garble(g);
        const out = new Uint8Array(g.a0.length);
        scheme.evaluateAnd(activeLabels(g.a0, g.x, g.delta), activeLabels(g.b0, g.y, g.delta), g.firstGateId, tables, out);
        assert.deepEqual(out, activeLabels(outZero, g.x.map((x, i) => x && g.y[i]!), g.delta));
      }),
      { numRuns: 200 },
    );
  });

  test(`${scheme.name}: batches over several internal passes, inputs and tables at any byte offset`, () => {
    const n = 2500;
    const g = fc.sample(gates.filter((x) => x.x.length === 1), 1)[0]!;
    const bytes = (k: number) => Uint8Array.from({ length: n * k }, (_, i) => (i * 151 + k) & 0xff);
    const big = { ...g, a0: bytes(LABEL_BYTES), b0: bytes(LABEL_BYTES + 1).subarray(0, n * LABEL_BYTES) };
    const x = Array.from({ length: n }, (_, i) => i % 3 === 0);
    const y = Array.from({ length: n }, (_, i) => i % 5 < 2);
    const { outZero, tables } = garble(big);
    // Each piece alone gives the same output labels and tables as the whole batch.
    for (const [from, to] of [[0, 1], [1024, 1030], [n - 3, n]] as const) {
      const part = garble({ ...big, a0: big.a0.subarray(from * LABEL_BYTES, to * LABEL_BYTES), b0: big.b0.subarray(from * LABEL_BYTES, to * LABEL_BYTES), firstGateId: big.firstGateId + from });
      assert.deepEqual(part.outZero, outZero.subarray(from * LABEL_BYTES, to * LABEL_BYTES));
      assert.deepEqual(part.tables, tables.subarray(from * scheme.tableBytesPerAnd, to * scheme.tableBytesPerAnd));
    }
    // The evaluator's inputs copied to odd and to 4-byte (not 8-byte) offsets.
    const at = (data: Uint8Array, offset: number) => {
      const buffer = new Uint8Array(data.length + offset);
      buffer.set(data, offset);
      return buffer.subarray(offset);
    };
    for (const offset of [1, 4]) {
      const out = new Uint8Array(n * LABEL_BYTES);
      scheme.evaluateAnd(at(activeLabels(big.a0, x, g.delta), offset), at(activeLabels(big.b0, y, g.delta), offset), big.firstGateId, at(tables, offset), out);
      assert.deepEqual(out, activeLabels(outZero, x.map((xi, i) => xi && y[i]!), g.delta));
    }
  });

  test(`${scheme.name}: the table is exactly ${scheme.tableBytesPerAnd} bytes per AND gate`, () => {
    const g = { a0: new Uint8Array(5 * LABEL_BYTES), b0: new Uint8Array(5 * LABEL_BYTES), delta: new Uint8Array(LABEL_BYTES).fill(1), firstGateId: 0 };
    assert.doesNotThrow(() => garble(g));
    assert.throws(() => scheme.garbleAnd(g.a0, g.b0, g.delta, 0, new Uint8Array(5 * LABEL_BYTES), new Uint8Array(5 * scheme.tableBytesPerAnd + 1)), RangeError);
  });

  test(`${scheme.name}: a wrong gate id yields neither output label; a corrupted table never the wrong one`, () => {
    fc.assert(
      fc.property(gates, fc.nat(), (g, flip) => {
        const { outZero, tables } = garble(g);
        const a = activeLabels(g.a0, g.x, g.delta);
        const b = activeLabels(g.b0, g.y, g.delta);
        const expected = activeLabels(outZero, g.x.map((x, i) => x && g.y[i]!), g.delta);
        const wrong = activeLabels(outZero, g.x.map((x, i) => !(x && g.y[i]!)), g.delta);
        const at = (batch: Uint8Array, i: number) => batch.subarray(i * LABEL_BYTES, (i + 1) * LABEL_BYTES);
        const shifted = new Uint8Array(g.a0.length);
        scheme.evaluateAnd(a, b, g.firstGateId + 1, tables, shifted);
        for (let i = 0; i < g.x.length; i++) {
          assert.notDeepEqual(at(shifted, i), at(expected, i));
          assert.notDeepEqual(at(shifted, i), at(wrong, i));
        }
        const corrupt = tables.slice();
        corrupt[flip % corrupt.length]! ^= 0x80;
        const out = new Uint8Array(g.a0.length);
        scheme.evaluateAnd(a, b, g.firstGateId, corrupt, out);
        const gate = Math.floor((flip % corrupt.length) / scheme.tableBytesPerAnd);
        for (let i = 0; i < g.x.length; i++) {
          // The evaluator reads only some rows: the corrupted gate gives the right label (row
          // unread) or garbage, never the other label; every other gate is unaffected.
          if (i === gate) assert.notDeepEqual(at(out, i), at(wrong, i));
          else assert.deepEqual(at(out, i), at(expected, i));
        }
      }),
      { numRuns: 100 },
    );
  });

  test(`${scheme.name}: salted, the contract holds; salt 0 is the unsalted scheme; another salt gives other tables and neither output label`, () => {
    assert.equal(scheme.salt, 0n);
    const salt = fc.oneof(fc.constantFrom(1n, 2n ** 64n - 1n, 2n ** 32n), fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }));
    fc.assert(
      fc.property(gates, salt, (g, s) => {
        const salted = scheme.withSalt(s);
        assert.equal(salted.salt, s);
        assert.equal(scheme.salt, 0n, 'withSalt left the original unchanged');
        const n = g.a0.length / LABEL_BYTES;
        const run = (which: GarblingScheme) => {
          const outZero = new Uint8Array(g.a0.length);
          const tables = new Uint8Array(n * scheme.tableBytesPerAnd);
          which.garbleAnd(g.a0, g.b0, g.delta, g.firstGateId, outZero, tables);
          return { outZero, tables };
        };
        const plain = garble(g);
        assert.deepEqual(run(scheme.withSalt(0n)), plain, 'salt 0 garbles like the unsalted scheme');
        const mine = run(salted);
        assert.notDeepEqual(mine.tables, plain.tables);
        const a = activeLabels(g.a0, g.x, g.delta);
        const b = activeLabels(g.b0, g.y, g.delta);
        const and = g.x.map((x, i) => x && g.y[i]!);
        const out = new Uint8Array(g.a0.length);
        salted.evaluateAnd(a, b, g.firstGateId, mine.tables, out);
        assert.deepEqual(out, activeLabels(mine.outZero, and, g.delta));
        scheme.withSalt(s ^ 1n).evaluateAnd(a, b, g.firstGateId, mine.tables, out);
        const right = activeLabels(mine.outZero, and, g.delta);
        const wrong = activeLabels(mine.outZero, and.map((v) => !v), g.delta);
        for (let i = 0; i < n; i++) {
          const at = (batch: Uint8Array) => batch.subarray(i * LABEL_BYTES, (i + 1) * LABEL_BYTES);
          assert.notDeepEqual(at(out), at(right));
          assert.notDeepEqual(at(out), at(wrong));
        }
      }),
      { numRuns: 60 },
    );
    assert.throws(() => scheme.withSalt(-1n), RangeError);
    assert.throws(() => scheme.withSalt(2n ** 64n), RangeError);
  });

  test(`${scheme.name}: malformed arguments are RangeErrors`, () => {
    const l = new Uint8Array(LABEL_BYTES);
    const t = new Uint8Array(scheme.tableBytesPerAnd);
    const d = new Uint8Array(LABEL_BYTES).fill(1);
    assert.throws(() => scheme.garbleAnd(l, l, new Uint8Array(LABEL_BYTES), 0, new Uint8Array(LABEL_BYTES), t), /least significant bit/);
    assert.throws(() => scheme.garbleAnd(l, new Uint8Array(2 * LABEL_BYTES), d, 0, new Uint8Array(LABEL_BYTES), t), RangeError);
    assert.throws(() => scheme.garbleAnd(l.subarray(1), l.subarray(1), d, 0, l.subarray(1), t), RangeError);
    assert.throws(() => scheme.evaluateAnd(l, l, -1, t, new Uint8Array(LABEL_BYTES)), RangeError);
    assert.throws(() => scheme.evaluateAnd(l, l, 2 ** 53, t, new Uint8Array(LABEL_BYTES)), RangeError);
  });
}
