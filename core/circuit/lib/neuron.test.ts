import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { signedBound, toSigned } from '../../modp.ts';
import { ARCHITECTURE_FORMAT, type Architecture, type Layer } from '../../model/architecture.ts';
import type { Model } from '../../model/model.ts';
import { referenceInference } from '../../model/reference.ts';
import { modAdd, modSub, modulusWidth, signedRange } from './modp.ts';
import { argmaxOfShares, neuron, neuronAndCount, neuronReference, neuronServerInputs, type NeuronSpec, neuronWidth } from './neuron.ts';
import { reluZp } from './relu.ts';
import { column, countLib, PRIMES, runLib, trailingOnes } from '../../../test/support/circuit-lib.ts';

/**
 * A model of one neuron in the model layer's semantics (core/model/reference.ts): the window's k
 * values as a 1×side×side image, max-pooled, ReLU'd and rescaled as the spec says.
 */
function oneNeuronModel(spec: NeuronSpec, side: number): Model {
  const h = signedBound(spec.p);
  const layers: Layer[] = [{ name: 'pool', kind: 'maxpool', window: side, stride: side }];
  if (spec.relu ?? true) layers.push({ name: 'relu', kind: 'relu' });
  if ((spec.shift ?? 0) > 0) layers.push({ name: 'rescale', kind: 'rescale', shift: spec.shift! });
  const architecture: Architecture = {
    format: ARCHITECTURE_FORMAT,
    name: 'one-neuron',
    input: { shape: { channels: 1, height: side, width: side }, floatRange: [-1, 1], scaleBits: 0, min: -h, max: h },
    plainModulus: spec.p,
    layers,
    output: { classes: 1, scaleBits: 0 },
  };
  return { architecture, weights: new Map() };
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

describe('the neuron plaintext reference', () => {
  // The model layer's integer reference is the independent oracle: secret values x_j are drawn,
  // shared as c'_j uniform and s'_j = x_j − c'_j mod p, and the reference must give the one-neuron
  // model's output minus the mask, mod p.
  for (const p of PRIMES.filter((q) => q >= 3)) {
    it(`p = ${p}: equals the one-neuron model's integer reference minus the mask (pool, shift, with and without ReLU)`, () => {
      const w = modulusWidth(p);
      const h = signedBound(p);
      const secret = fc.oneof(fc.integer({ min: -h, max: h }), fc.constantFrom(-h, -1, 0, 1, h));
      const zp = fc.integer({ min: 0, max: p - 1 });
      const draws = fc
        .record({ side: fc.integer({ min: 1, max: 3 }), shift: fc.integer({ min: 0, max: Math.min(3, w - 2) }), relu: fc.boolean() })
        .chain((o) => fc.tuple(fc.constant(o), fc.array(fc.tuple(fc.array(secret, { minLength: o.side ** 2, maxLength: o.side ** 2 }), fc.array(zp, { minLength: o.side ** 2, maxLength: o.side ** 2 }), zp), { minLength: 1, maxLength: 20 })));
      fc.assert(
        fc.property(draws, ([{ side, shift, relu }, rows]) => {
          const spec: NeuronSpec = { p, pool: side * side, shift, relu };
          const model = oneNeuronModel(spec, side);
          for (const [x, c, mask] of rows) {
            const s = x.map((xj, j) => (((xj - c[j]!) % p) + p) % p);
            const out = referenceInference(model, Int32Array.from(x)).logits[0]!;
            assert.equal(neuronReference(spec, c, s, mask), (((out - mask) % p) + p) % p, JSON.stringify({ spec, x, c, mask }));
          }
        }),
        { numRuns: 30 },
      );
    });
  }

  it('known answers for p = 7 (values −3..3: 4, 5, 6 are −3, −2, −1)', () => {
    assert.equal(neuronReference({ p: 7 }, [2], [3], 0), 0, '2 + 3 = 5 ≡ −2, ReLU 0');
    assert.equal(neuronReference({ p: 7 }, [2], [1], 1), 2, '3 − 1');
    assert.equal(neuronReference({ p: 7 }, [6], [4], 5), 5, '6 + 4 ≡ 3, 3 − 5 ≡ 5');
    assert.equal(neuronReference({ p: 7, relu: false }, [2], [3], 0), 5, 'no ReLU: −2 ≡ 5');
    assert.equal(neuronReference({ p: 7, relu: false, shift: 1 }, [2], [2], 0), 5, '4 ≡ −3, ⌊−3 / 2⌋ = −2 ≡ 5 (rounds down)');
    assert.equal(neuronReference({ p: 7, pool: 2 }, [1, 5], [1, 0], 0), 2, 'max(2, −2) = 2');
  });

  it('argument checks', () => {
    assert.throws(() => neuronReference({ p: 7 }, [7], [0], 0), /client shares and mask must be integers in \[0, 7\)/);
    assert.throws(() => neuronReference({ p: 7 }, [0], [0], -1), /server shares and mask must be integers in \[0, 7\)/);
    assert.throws(() => neuronReference({ p: 7, pool: 2 }, [0], [0, 0], 0), /need 2 client shares/);
  });
});

describe('the per-neuron non-linear circuit on shares', () => {
  for (const p of PRIMES) {
    it(`p = ${p}: matches the plaintext reference (pool, shift, with and without ReLU)`, () => {
      fc.assert(
        fc.property(cases(p), ([spec, rows]) => {
          assert.deepEqual(runNeuron(spec, rows), rows.map(([c, s, r]) => BigInt(neuronReference(spec, c, s, r))));
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
          assert.deepEqual(out, rows.map(([c, s, r]) => BigInt(neuronReference({ p }, [c], [s], r))));
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
          assert.deepEqual(out, rows.map(([c, s]) => {
            const v = c.map((ci, j) => toSigned((ci + s[j]!) % p, p));
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
