import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { withScope, type DisposalScope } from '../../core/dispose.ts';
import type { HeCiphertext, HeClientKeys, HeServerKeys } from '../../core/he.ts';
import { SealCiphertext } from './handles.ts';
import { NoiseModel } from './noise.ts';
import { SealBfvBackend } from './seal-bfv.ts';
import { randomSlots } from './test-support.ts';

/**
 * SEAL's invariant noise budget (a measurement nobody here wrote) is bits(Q) − bits(‖p·A‖∞) − 1
 * (SEAL 4.1 Decryptor::invariant_noise_budget), so a true bound B on ‖A‖∞ implies
 * budget ≥ bits(Q) − bits(p·B) − 1, floored at 0.
 */
function budgetImpliedBy(log2Modulus: number, p: number, bound: number): number {
  const bits = (log2x: number) => Math.floor(log2x) + 1;
  return Math.max(0, bits(log2Modulus) - bits(Math.log2(p) + Math.log2(bound)) - 1);
}

describe('noise model (pure)', () => {
  const model = new NoiseModel({
    n: 8192,
    p: 557057,
    dataModuli: [18014398508138497n, 18014398508400641n, 36028797017571329n],
    specialModulus: 36028797018652673n,
  });

  it('never shrinks under an operation, and lowers the margin as noise grows', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 2 ** 100, noNaN: true }), fc.double({ min: 1, max: 2 ** 100, noNaN: true }), (a, b) => {
        for (const grown of [model.add(a, b), model.addPlain(a), model.rotate(a)]) assert.ok(grown >= a);
        assert.ok(model.mulPlain(a) > a * 2 ** 30);
        if (a < b) assert.ok(model.marginBits(a) >= model.marginBits(b));
        assert.ok(model.finishedBound(a) > 0);
      }),
    );
  });

  it('leaves room for the flood beside any noise with a non-negative margin', () => {
    const bound = 2 ** (model.floodBits + 1) / model.n - model.publicKey;
    assert.ok(Math.abs(model.marginBits(bound)) < 1e-9);
    assert.ok(model.finishedBound(bound) < 2 ** (model.log2LastModulus - 1 - Math.log2(model.p)), 'still decrypts at the last level');
    assert.ok(2 ** model.floodBits <= model.capacity / 4 && 2 ** model.floodBits > model.capacity / 8);
  });

  it('reaches more than 40 bits on the reference layer with the secure preset moduli', () => {
    const margin = model.marginBits(model.referenceLayerBound());
    assert.ok(margin > 40 && margin < 80, `margin ${margin}`);
  });
});

describe('noise bounds against SEAL', () => {
  let be: SealBfvBackend;
  let client: HeClientKeys;
  let server: HeServerKeys;

  before(async () => {
    be = await SealBfvBackend.create({ preset: 'fast', acceptLowerMargin: true }, { name: 'seal-bfv', flooding: true });
    client = be.generateKeys([1, 7, 0]);
    server = be.importServerKeys(be.exportServerKeys(client));
  });

  after(() => {
    client.dispose();
    server.dispose();
    be.dispose();
  });

  const boundOf = (c: HeCiphertext) => (c as SealCiphertext).bound;
  type Op = (s: DisposalScope, c: HeCiphertext) => HeCiphertext;

  it('never reports more noise budget lost than SEAL measures, whatever the operations', () => {
    const { slotCount: n, plainModulus: p } = be.params;
    const log2Q = be.log2CoeffModulus;
    const ops: Record<string, Op> = {
      rotate: (s, c) => s.track(be.rotateRows(c, 7, server)),
      swap: (s, c) => s.track(be.rotateColumns(c, server)),
      mulNtt: (s, c) => s.track(be.mulPlain(c, s.track(be.encodeForMultiply(randomSlots(n, 64))))),
      mulCoefficients: (s, c) => s.track(be.mulPlain(c, s.track(be.encode(randomSlots(n, 64))))),
      double: (s, c) => s.track(be.add(c, c)),
      addPlain: (s, c) => s.track(be.addPlain(c, s.track(be.encode(randomSlots(n, p))))),
      subPlain: (s, c) => s.track(be.subPlain(c, s.track(be.encode(randomSlots(n, p))))),
    };
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.constantFrom(...Object.keys(ops)), { minLength: 1, maxLength: 5 }), (symmetric, program) =>
        withScope((s) => {
          const x = randomSlots(n, p);
          let c: HeCiphertext = symmetric ? s.track(be.deserialize(be.encryptSymmetric(x, client))) : s.track(be.encryptPublic(x, server));
          for (const op of program) {
            c = ops[op]!(s, c);
            const budget = be.noiseBudget(c, client);
            assert.ok(budget >= budgetImpliedBy(log2Q, p, boundOf(c)), `${program.join(',')}: SEAL budget ${budget}, bound 2^${Math.log2(boundOf(c)).toFixed(1)}`);
          }
        }),
      ),
      { numRuns: 12 },
    );
  });

  it('floods within the last level: the returned ciphertext decrypts, and its noise is the flood', () => {
    withScope((s) => {
      const { slotCount: n, plainModulus: p } = be.params;
      const model = be.noise;
      const x = randomSlots(n, p);
      const c = s.track(be.rotateRows(s.track(be.encryptPublic(x, server)), 1, server));
      const returned = s.track(be.deserialize(be.finish(c, server).bytes));
      const budget = be.noiseBudget(returned, client);
      assert.ok(budget >= budgetImpliedBy(model.log2LastModulus, p, model.finishedBound(boundOf(c))));
      const noise = be.decryptionNoise(returned, client);
      const largest = noise.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      // The flood is uniform on ±2^f, i.e. ±p·2^f/Q in ν: 4096 draws come within 1% of the edge.
      const edge = 2 ** (model.floodBits + Math.log2(p) - be.log2CoeffModulus);
      assert.ok(largest > 0.99 * edge && largest < 1.01 * edge, `max |ν| = ${largest}, flood edge ${edge}`);
      // The noise probe agrees with SEAL's own measurement to within SEAL's rounding to whole bits.
      assert.ok(Math.abs(-Math.log2(2 * largest) - budget) <= 1.5, `probe 2^${Math.log2(largest)} vs budget ${budget}`);
    });
  });

  it('reads sub-capacity noise at the top level digit by digit, consistent with SEAL', () => {
    withScope((s) => {
      const { slotCount: n, plainModulus: p } = be.params;
      const c = s.track(be.mulPlain(s.track(be.encryptPublic(randomSlots(n, p), server)), s.track(be.encodeForMultiply(randomSlots(n, p)))));
      const largest = be.decryptionNoise(c, client).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const budget = be.noiseBudget(c, client);
      assert.ok(budget > 10, 'far below one digit of resolution (2/p)');
      assert.ok(Math.abs(-Math.log2(2 * largest) - budget) <= 1.5, `probe 2^${Math.log2(largest)} vs budget ${budget}`);
    });
  });
});
