import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import { seededRandom, systemRandom, type RandomSource } from '../../core/random.ts';
import { uniformModPTest } from '../../harness/stats/chi-square.ts';
import { builtinRegistry } from '../index.ts';

const P = 557057;
const COUNT = 1 << 22;

/** The classic mistake: a few raw bytes reduced `% p` (small residues come up more often). */
function biasedSample(random: RandomSource, count: number, p: number): Uint32Array {
  const bytes = random.fill(new Uint8Array(3 * count));
  return Uint32Array.from({ length: count }, (_, i) => (bytes[3 * i]! | (bytes[3 * i + 1]! << 8) | (bytes[3 * i + 2]! << 16)) % p);
}

test('the uniform masks plugin passes a chi-square uniformity test mod p; a `% p` sampler fails the same test', async () => {
  const wiring = await wire(parseConfig({}), builtinRegistry(), ['masks']);
  const masks = wiring.get('masks');
  assert.equal(masks.name, 'uniform');
  const uniform = uniformModPTest(masks.sample(seededRandom('masks-test'), COUNT, P), P);
  assert.ok(uniform.pValue > 1e-3, `uniform masks: p = ${uniform.pValue}`);
  const biased = uniformModPTest(biasedSample(seededRandom('masks-test'), COUNT, P), P);
  assert.ok(biased.pValue < 1e-6, `biased masks: p = ${biased.pValue} (the test has the power to see the bias)`);
  await wiring.dispose();
});

test('masks are in [0, p) for any modulus, reproducible from a seeded source, fresh from the system source', async () => {
  const wiring = await wire(parseConfig({}), builtinRegistry(), ['masks']);
  const masks = wiring.get('masks');
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 300 }), fc.string(), (p, count, seed) => {
      const a = masks.sample(seededRandom(seed), count, p);
      assert.equal(a.length, count);
      assert.ok(a.every((v) => v < p));
      assert.deepEqual(masks.sample(seededRandom(seed), count, p), a);
    }),
  );
  const [x, y] = [masks.sample(systemRandom(), 64, P), masks.sample(systemRandom(), 64, P)];
  assert.notDeepEqual(x, y);
  await wiring.dispose();
});
