import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../../core/errors.ts';
import { builtinRegistry } from '../index.ts';
import { PlainHeBackend } from './plain-he.ts';

const N_CHOICES = [4, 8, 16, 64];

/** A backend, two slot vectors and a step, drawn together. */
const caseArb = fc
  .record({ n: fc.constantFrom(...N_CHOICES), p: fc.constantFrom(17, 65537, 557057, 4294967291) })
  .chain(({ n, p }) =>
    fc.record({
      n: fc.constant(n),
      p: fc.constant(p),
      a: fc.array(fc.nat(p - 1), { minLength: n, maxLength: n }),
      b: fc.array(fc.nat(p - 1), { minLength: n, maxLength: n }),
      step: fc.integer({ min: -(n / 2 - 1), max: n / 2 - 1 }).filter((s) => s !== 0),
    }),
  );

function setup(n: number, p: number, steps: number[]) {
  const he = new PlainHeBackend({ polyModulusDegree: n, plainModulus: p });
  const client = he.generateKeys(steps);
  const server = he.importServerKeys(he.exportServerKeys(client));
  const enc = (v: number[]) => he.deserialize(he.encryptSymmetric(Uint32Array.from(v), client));
  return { he, client, server, enc };
}

test('slot semantics are SEAL batching: rotateRows(k) turns each row of n/2 left by k, rotateColumns swaps the rows', () => {
  fc.assert(
    fc.property(caseArb, ({ n, p, a, step }) => {
      const { he, client, server, enc } = setup(n, p, [step, 0]);
      const half = n / 2;
      const rotated = he.decrypt(he.rotateRows(enc(a), step, server), client);
      const swapped = he.decrypt(he.rotateColumns(enc(a), server), client);
      for (let row = 0; row < 2; row++)
        for (let j = 0; j < half; j++) {
          assert.equal(rotated[row * half + j], a[row * half + ((((j + step) % half) + half) % half)]);
          assert.equal(swapped[row * half + j], a[(1 - row) * half + j]);
        }
    }),
  );
});

test('add, addPlain, subPlain, mulPlain act slot-wise mod p', () => {
  fc.assert(
    fc.property(caseArb, ({ n, p, a, b }) => {
      const { he, client, enc } = setup(n, p, []);
      const P = BigInt(p);
      const mod = (x: bigint) => Number(((x % P) + P) % P);
      const bv = Uint32Array.from(b);
      const sum = he.decrypt(he.add(enc(a), enc(b)), client);
      const sumPlain = he.decrypt(he.addPlain(enc(a), he.encode(bv)), client);
      const diff = he.decrypt(he.subPlain(enc(a), he.encode(bv)), client);
      const prod = he.decrypt(he.mulPlain(enc(a), he.encodeForMultiply(bv)), client);
      const inPlace = enc(a);
      he.addInPlace(inPlace, enc(b));
      const inPlaceSlots = he.decrypt(inPlace, client);
      a.forEach((x, i) => {
        const y = b[i]!;
        assert.equal(sum[i], mod(BigInt(x) + BigInt(y)));
        assert.equal(sumPlain[i], sum[i]);
        assert.equal(inPlaceSlots[i], sum[i]);
        assert.equal(diff[i], mod(BigInt(x) - BigInt(y)));
        assert.equal(prod[i], mod(BigInt(x) * BigInt(y)));
      });
    }),
  );
});

test('a rotation needs the Galois key of its step (k and k − n/2 are the same key, as in SEAL)', () => {
  const { he, server, enc } = setup(16, 17, [3]);
  const ct = enc(Array(16).fill(1));
  assert.throws(() => he.rotateRows(ct, 2, server), /no Galois key for step 2/);
  assert.throws(() => he.rotateColumns(ct, server), /no Galois key for step 0/);
  assert.throws(() => he.rotateRows(ct, 8, server), RangeError);
  he.rotateRows(ct, -5, server).dispose();
});

test('public encryption, serialisation and finish round-trip; peers’ garbage is a ProtocolError', () => {
  const { he, client, server } = setup(8, 17, []);
  const values = Uint32Array.from([0, 1, 2, 3, 4, 5, 6, 16]);
  const ct = he.encryptPublic(values, server);
  assert.deepEqual(he.decrypt(he.deserialize(he.serialize(ct)), client), values);
  const finished = he.finish(ct, server);
  assert.equal(finished.marginBits, 0, 'a test double floods nothing and says so');
  assert.deepEqual(he.decrypt(he.deserialize(finished.bytes), client), values);
  const bytes = he.serialize(ct);
  assert.throws(() => he.deserialize(bytes.subarray(1)), ProtocolError);
  const unreduced = bytes.slice();
  new DataView(unreduced.buffer).setUint32(unreduced.length - 4, 17, true);
  assert.throws(() => he.deserialize(unreduced), /not reduced/);
  assert.throws(() => he.importServerKeys(new Uint8Array(7)), ProtocolError);
  assert.throws(() => new PlainHeBackend({ polyModulusDegree: 16 }).importServerKeys(he.exportServerKeys(client)), /ring dimension/);
});

test('handles are counted; using one after dispose() throws; keys must match', () => {
  const { he, client, server, enc } = setup(8, 17, []);
  const before = he.liveHandles;
  const ct = enc([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(he.liveHandles, before + 1);
  ct.dispose();
  ct.dispose();
  assert.equal(he.liveHandles, before);
  assert.throws(() => he.decrypt(ct, client), /after dispose/);
  const otherServer = he.importServerKeys(he.exportServerKeys(he.generateKeys([])));
  assert.throws(() => he.add(he.encryptPublic(new Uint32Array(8), server), he.encryptPublic(new Uint32Array(8), otherServer)), /different keys/);
  assert.throws(() => new PlainHeBackend({ polyModulusDegree: 8 }).decrypt(he.encryptPublic(new Uint32Array(8), server), client), TypeError);
  assert.throws(() => he.encode(new Uint32Array(7)), RangeError);
  assert.throws(() => he.encode(Uint32Array.from([17, 0, 0, 0, 0, 0, 0, 0])), /not reduced/);
});

test('registered as an insecure-test-only "he" plugin with the preset ring sizes', async () => {
  const plugin = builtinRegistry().get('he', 'insecure-plain-he');
  assert.equal(plugin.security, 'insecure-test-only');
  const secure = (await plugin.create({ preset: 'secure' }, undefined as never)) as PlainHeBackend;
  assert.equal(secure.params.slotCount, 8192);
  assert.equal(secure.params.rowSize, 4096);
  assert.equal(new PlainHeBackend().params.polyModulusDegree, 4096);
});
