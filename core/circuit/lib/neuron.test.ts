import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { modAdd, modSub, modulusWidth, signedRange } from './modp.ts';
import { argmaxOfShares, neuron, neuronAndCount, neuronServerInputs, type NeuronSpec, neuronWidth } from './neuron.ts';
import { reluZp } from './relu.ts';
import { column, countLib, PRIMES, runLib, trailingOnes } from '../../../test/support/circuit-lib.ts';

/** The plaintext meaning of a neuron, straight from docs/architecture.md §3, non-linear layers. */
function reference(spec: NeuronSpec, c: number[], s: number[], r: number): number {
  const { p } = spec;
  const signed = (y: number): number => (2 * y >= p ? y - p : y);
  let v = Math.max(...c.map((ci, j) => signed((ci + s[j]!) % p)));
  if (spec.relu ?? true) v = Math.max(v, 0);
  v = Math.floor(v / 2 ** (spec.shift ?? 0));
  return (((v - r) % p) + p) % p;
}

/** A spec for p and, per instance, client shares, server shares and mask. */
const cases = (p: number) => {
  const w = modulusWidth(p);
  const zp = fc.oneof(fc.integer({ min: 0, max: p - 1 }), fc.constantFrom(0, p - 1, Math.floor(p / 2), Math.ceil(p / 2)));
  return fc
    .record({ pool: fc.integer({ min: 1, max: 4 }), shift: fc.integer({ min: 0, max: Math.min(3, w - 2) }), relu: fc.boolean() })
    .chain((o) =>
      fc.tuple(
        fc.constant<NeuronSpec>({ p, ...o }),
        fc.array(fc.tuple(fc.array(zp, { minLength: o.pool, maxLength: o.pool }), fc.array(zp, { minLength: o.pool, maxLength: o.pool }), zp), { minLength: 1, maxLength: 70 }),
      ),
    );
};

/** Run the neuron circuit on the plaintext backend, the server preparing its inputs per instance. */
function runNeuron(spec: NeuronSpec, rows: [number[], number[], number][]): bigint[] {
  const w = neuronWidth(spec);
  const k = spec.pool ?? 1;
  const prepared = rows.map(([, s, r]) => neuronServerInputs(spec, s, r));
  const inputs = [
    ...Array.from({ length: k }, (_, j) => rows.map((row) => row[0][j]!)),
    ...Array.from({ length: k }, (_, j) => prepared.map((x) => x.server[j]!)),
    prepared.map((x) => x.mask),
  ];
  return runLib(Array(2 * k + 1).fill(w), inputs, (g, xs) => neuron(g, spec, { client: xs.slice(0, k), server: xs.slice(k, 2 * k), mask: xs[2 * k]! }));
}

describe('the per-neuron non-linear circuit on shares', () => {
  for (const p of PRIMES) {
    it(`p = ${p}: matches the plaintext reference (pool, shift, with and without ReLU)`, () => {
      fc.assert(
        fc.property(cases(p), ([spec, rows]) => {
          assert.deepEqual(runNeuron(spec, rows), rows.map(([c, s, r]) => BigInt(reference(spec, c, s, r))));
        }),
        { numRuns: 20 },
      );
    });
  }

  it('AND counts equal the documented formula for every odd prime and option', () => {
    for (const p of PRIMES.filter((q) => q % 2 === 1)) {
      const w = modulusWidth(p);
      for (const pool of [1, 2, 4]) {
        for (const shift of [...new Set([0, Math.min(1, w - 2), Math.min(5, w - 2)])]) {
          for (const relu of [true, false]) {
            const spec = { p, pool, shift, relu };
            const counts = countLib(Array(2 * pool + 1).fill(w), (g, xs) => neuron(g, spec, { client: xs.slice(0, pool), server: xs.slice(pool, 2 * pool), mask: xs[2 * pool]! }));
            assert.equal(counts.and, neuronAndCount(spec), JSON.stringify(spec));
          }
        }
      }
    }
  });

  it('ReLU over shares with masking costs at most 6w − 4 ANDs, below GAZELLE’s 8w + 2 for the ReLU alone', () => {
    for (const p of PRIMES.filter((q) => q % 2 === 1)) {
      const w = modulusWidth(p);
      const ands = countLib([w, w, w], (g, [c, q, r]) => neuron(g, { p }, { client: [c!], server: [q!], mask: r! })).and;
      assert.ok(ands <= 6 * w - 4 && ands < 8 * w + 2, `p=${p}: ${ands}`);
    }
    // p = 557057 (GAZELLE's prime, w = 20): m = 278528 = 2^18 + 2^14 has 14 trailing zeros: 6·20 − 4 − 14.
    assert.equal(countLib([20, 20, 20], (g, [c, q, r]) => neuron(g, { p: 557057 }, { client: [c!], server: [q!], mask: r! })).and, 102);
  });

  it('the literal composition from raw shares (modAdd, reluZp, modSub) is correct and costs 7w − 4 − t(h)', () => {
    for (const p of PRIMES.filter((q) => q % 2 === 1)) {
      const w = modulusWidth(p);
      const literal = <W,>(g: Parameters<typeof modAdd<W>>[0], [c, s, r]: Parameters<typeof modAdd<W>>[1][]) => modSub(g, reluZp(g, modAdd(g, c!, s!, p), p), r!, p);
      assert.equal(countLib([w, w, w], literal).and, 7 * w - 4 - trailingOnes(signedRange(p).h), `p=${p}`);
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(p - 1), fc.nat(p - 1), fc.nat(p - 1)), { minLength: 1, maxLength: 40 }), (rows) => {
          const out = runLib([w, w, w], [column(rows, 0), column(rows, 1), column(rows, 2)], literal);
          assert.deepEqual(out, rows.map(([c, s, r]) => BigInt(reference({ p }, [c], [s], r))));
        }),
        { numRuns: 10 },
      );
    }
  });

  it('argmaxOfShares reveals the index of the first largest signed value', () => {
    for (const p of [5, 65537, 786433]) {
      const w = modulusWidth(p);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10 }).chain((k) => fc.array(fc.tuple(fc.array(fc.nat(p - 1), { minLength: k, maxLength: k }), fc.array(fc.nat(p - 1), { minLength: k, maxLength: k })), { minLength: 1, maxLength: 40 })), (rows) => {
          const k = rows[0]![0].length;
          const server = rows.map(([, s]) => neuronServerInputs({ p, pool: k }, s, 0).server);
          const inputs = [...Array.from({ length: k }, (_, j) => rows.map((r) => r[0][j]!)), ...Array.from({ length: k }, (_, j) => server.map((s) => s[j]!))];
          const out = runLib(Array(2 * k).fill(w), inputs, (g, xs) => argmaxOfShares(g, p, xs.slice(0, k), xs.slice(k)));
          const signed = (y: number): number => (2 * y >= p ? y - p : y);
          assert.deepEqual(out, rows.map(([c, s]) => {
            const v = c.map((ci, j) => signed((ci + s[j]!) % p));
            return BigInt(v.indexOf(Math.max(...v)));
          }));
        }),
        { numRuns: 15 },
      );
    }
  });

  it('argument checks', () => {
    assert.throws(() => neuronServerInputs({ p: 7 }, [7], 0), RangeError);
    assert.throws(() => neuronServerInputs({ p: 7, pool: 2 }, [1], 0), RangeError);
    assert.throws(() => neuronWidth({ p: 7, shift: 2 }), RangeError);
    assert.throws(() => neuronWidth({ p: 7, pool: 0 }), RangeError);
    assert.throws(() => countLib([3, 3, 2], (g, [c, q, r]) => neuron(g, { p: 7 }, { client: [c!], server: [q!], mask: r! })), RangeError);
  });
});
