import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigError, ProtocolError, SecurityError } from '../../core/errors.ts';
import type { HeClientKeys, HeServerKeys } from '../../core/he.ts';
import { withScope } from '../../core/dispose.ts';
import { SealBfvBackend } from './seal-bfv.ts';
import { liveNativeObjects } from './native.ts';
import { nativeExceptions } from './native-fault.ts';
import { randomSlots, reference } from './test-support.ts';
import { ciphertextBytes } from './seal-layout.ts';
import seal from './index.ts';
import leaky from '../insecure-seal-bfv-no-flooding/index.ts';

const variant = { name: 'seal-bfv', flooding: true };
const STEPS = [1, -1, 5, 100, -37, 0];

describe('seal-bfv backend (fast preset)', () => {
  let be: SealBfvBackend;
  let client: HeClientKeys;
  let server: HeServerKeys;
  let n: number;
  let p: number;
  let baseline: number;

  before(async () => {
    baseline = liveNativeObjects();
    be = await SealBfvBackend.create({ preset: 'fast', acceptLowerMargin: true }, variant);
    client = be.generateKeys(STEPS);
    server = be.importServerKeys(be.exportServerKeys(client));
    n = be.params.slotCount;
    p = be.params.plainModulus;
  });

  after(() => {
    client.dispose();
    server.dispose();
    be.dispose();
    assert.equal(liveNativeObjects(), baseline, 'every node-seal object is deleted');
  });

  it('describes its parameters', () => {
    assert.deepEqual(be.params, { preset: 'fast', polyModulusDegree: 4096, slotCount: 4096, rowSize: 2048, plainModulus: 557057, coeffModulusBits: [36, 36, 37] });
    assert.equal((p - 1) % (2 * n), 0);
    assert.deepEqual(server.galoisSteps, STEPS);
  });

  it('computes like the plaintext reference: add, addPlain, subPlain, mulPlain (both encodings), rotations', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STEPS.filter((s) => s !== 0)), fc.boolean(), (step, swap) =>
        withScope((s) => {
          const [x, y, w, v, b] = Array.from({ length: 5 }, () => randomSlots(n, p));
          const cx = s.track(be.deserialize(be.encryptSymmetric(x, client)));
          const cy = s.track(be.encryptPublic(y, server));
          const prodNtt = s.track(be.mulPlain(cx, s.track(be.encodeForMultiply(w))));
          const prodCoeff = s.track(be.mulPlain(cy, s.track(be.encode(v))));
          const sum = s.track(be.add(prodNtt, prodCoeff));
          const rotated = s.track(be.rotateRows(sum, step, server));
          const turned = swap ? s.track(be.rotateColumns(rotated, server)) : rotated;
          const out = s.track(be.subPlain(s.track(be.addPlain(turned, s.track(be.encode(b)))), s.track(be.encode(x))));
          let expected = reference.rotateRows(reference.add(reference.mul(x, w, p), reference.mul(y, v, p), p), step);
          if (swap) expected = reference.rotateColumns(expected);
          expected = reference.sub(reference.add(expected, b, p), x, p);
          assert.deepEqual(be.decrypt(out, client), expected);
        }),
      ),
      { numRuns: 8 },
    );
  });

  it('keeps cached NTT and coefficient forms consistent under addInPlace (also of a ciphertext with itself)', () => {
    withScope((s) => {
      const [x, w] = [randomSlots(n, p), randomSlots(n, p)];
      const cx = s.track(be.encryptPublic(x, server));
      const wNtt = s.track(be.encodeForMultiply(w));
      const prod = s.track(be.mulPlain(cx, wNtt));
      assert.deepEqual(be.decrypt(prod, client), reference.mul(x, w, p));
      be.addInPlace(cx, prod); // cx had both forms cached: the stale one must go
      assert.deepEqual(be.decrypt(cx, client), reference.add(x, reference.mul(x, w, p), p));
      // A coefficient-form product of a fresh ciphertext held only in NTT form (× 1 keeps its noise small).
      const fresh = s.track(be.encryptPublic(x, server));
      const nttOnly = s.track(be.mulPlain(fresh, s.track(be.encodeForMultiply(new Uint32Array(n).fill(1)))));
      assert.deepEqual(be.decrypt(s.track(be.mulPlain(nttOnly, s.track(be.encode(w)))), client), reference.mul(x, w, p));
      be.addInPlace(prod, prod);
      assert.deepEqual(be.decrypt(prod, client), reference.add(reference.mul(x, w, p), reference.mul(x, w, p), p));
    });
  });

  it('multiplies by all-zero weights without a "transparent" product: an ordinary encryption of zero, no node-seal exception', () => {
    // SEAL throws on a product with c1 = 0, and node-seal's exceptions corrupt it (native-fault.ts).
    const exceptions = nativeExceptions();
    withScope((s) => {
      const [x, b] = [randomSlots(n, p), randomSlots(n, p)];
      const zero = new Uint32Array(n);
      const cx = s.track(be.encryptPublic(x, server));
      const viaNtt = s.track(be.mulPlain(cx, s.track(be.encodeForMultiply(zero))));
      const viaCoefficients = s.track(be.mulPlain(cx, s.track(be.encode(zero))));
      const sum = s.track(be.add(s.track(be.rotateRows(viaNtt, 1, server)), viaCoefficients));
      assert.deepEqual(be.decrypt(sum, client), zero);
      assert.deepEqual(be.decrypt(s.track(be.addPlain(s.track(be.rotateColumns(sum, server)), s.track(be.encode(b)))), client), b);
      // Products of products, and a zero product multiplied again, stay encryptions of zero.
      assert.deepEqual(be.decrypt(s.track(be.mulPlain(viaNtt, s.track(be.encode(b)))), client), zero);
      be.addInPlace(cx, sum);
      assert.deepEqual(be.decrypt(cx, client), x);
      const returned = s.track(be.deserialize(be.finish(sum, server).bytes));
      assert.deepEqual(be.decrypt(returned, client), zero);
    });
    assert.equal(nativeExceptions(), exceptions, 'node-seal raised no exception');
  });

  it('refuses a peer ciphertext whose c1 is zero (transparent: readable, and SEAL throws on every operation with it)', () => {
    const valid = withScope((s) => be.serialize(s.track(be.encryptPublic(randomSlots(n, p), server))));
    const transparent = valid.slice();
    transparent.fill(0, valid.length - 8 * 2 * n);
    assert.throws(() => be.deserialize(transparent).dispose(), (error: Error) => error instanceof ProtocolError && /c1 is zero/.test(error.message));
  });

  it('round-trips ciphertexts through serialisation; the finished ciphertext decrypts to the same slots', () => {
    withScope((s) => {
      const x = randomSlots(n, p);
      const c = s.track(be.encryptPublic(x, server));
      assert.deepEqual(be.decrypt(s.track(be.deserialize(be.serialize(c))), client), x);
      const finished = be.finish(c, server);
      assert.equal(finished.bytes.length, ciphertextBytes(n, 1, false), 'mod-switched down to one RNS limb');
      assert.deepEqual(be.decrypt(s.track(be.deserialize(finished.bytes)), client), x);
    });
  });

  it('uploads with seeded symmetric encryption in about half the bytes of a public-key encryption', () => {
    withScope((s) => {
      const x = randomSlots(n, p);
      const symmetric = be.encryptSymmetric(x, client);
      const publicKey = be.serialize(s.track(be.encryptPublic(x, server)));
      const ratio = symmetric.length / publicKey.length;
      assert.ok(ratio > 0.49 && ratio < 0.51, `ratio ${ratio}`);
      assert.deepEqual(be.decrypt(s.track(be.deserialize(symmetric)), client), x);
    });
  });

  it('turns garbage ciphertexts into ProtocolError before node-seal sees them, and keeps working', () => {
    const exceptions = nativeExceptions();
    const valid = withScope((s) => be.serialize(s.track(be.encryptPublic(randomSlots(n, p), server))));
    const dataOffset = valid.length - 8 * (2 * 2 * n);
    const seeded = be.encryptSymmetric(randomSlots(n, p), client);
    const seedOffset = seeded.length - 65;
    const seededData = seedOffset - 16 - 8 * (2 * n);
    const primes = be.coefficientModuli;
    /** `bytes` with u64 coefficient `i` (from `offset`; limb-major, n per limb) set to its limb's prime q plus `excess`. */
    const tooLarge = (bytes: Uint8Array, offset: number, i: number, excess: bigint) => {
      const out = bytes.slice();
      new DataView(out.buffer).setBigUint64(offset + 8 * i, primes[Math.floor(i / n) % primes.length]! + excess, true);
      return out;
    };
    const mutations = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.integer({ min: 0, max: valid.length - 1 }).map((len) => valid.slice(0, len)),
      fc.uint8Array({ minLength: 1, maxLength: 16 }).map((tail) => Uint8Array.from([...valid, ...tail])),
      // Any byte before the coefficients (headers, parms_id, sizes, flags) changed by a non-zero xor.
      fc.tuple(fc.integer({ min: 0, max: dataOffset - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
        const bytes = valid.slice();
        bytes[at]! ^= xor;
        return bytes;
      }),
      // A coefficient of c0 or c1 (unseeded) or of c0 (seeded) set to q_i, or anything up to 2^64 − 1.
      fc.tuple(fc.integer({ min: 0, max: 2 * 2 * n - 1 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n - 2n ** 54n })).map(([i, excess]) => tooLarge(valid, dataOffset, i, excess)),
      fc.tuple(fc.integer({ min: 0, max: 2 * n - 1 }), fc.bigInt({ min: 0n, max: 2n ** 30n })).map(([i, excess]) => tooLarge(seeded, seededData, i, excess)),
      // The seed's PRNG type: SEAL knows 1 and 2 only.
      fc.integer({ min: 0, max: 255 }).filter((t) => t !== 1 && t !== 2).map((t) => {
        const bytes = seeded.slice();
        bytes[seedOffset] = t;
        return bytes;
      }),
    );
    fc.assert(
      fc.property(mutations, (bytes) => {
        assert.throws(() => be.deserialize(bytes).dispose(), ProtocolError);
      }),
      { numRuns: 300 },
    );
    assert.equal(nativeExceptions(), exceptions, 'no garbage reached node-seal');
    withScope((s) => {
      const x = randomSlots(n, p);
      assert.deepEqual(be.decrypt(s.track(be.deserialize(be.encryptSymmetric(x, client))), client), x);
    });
  });

  it('turns garbage server keys into ProtocolError', () => {
    const good = be.exportServerKeys(client);
    const pkStart = 20 + 4 * STEPS.length + 4;
    const bad = [
      new Uint8Array(0),
      good.slice(0, good.length - 1),
      Uint8Array.from([...good, 0]),
      (() => {
        const b = good.slice();
        new DataView(b.buffer).setInt32(20, 4096, true); // a step ≥ n/2
        return b;
      })(),
      (() => {
        const b = good.slice();
        new DataView(b.buffer).setInt32(20, 3, true); // a step whose key is not in the Galois keys
        return b;
      })(),
      (() => {
        const b = good.slice();
        b[pkStart + 20]! ^= 1; // the public key's parms_id
        return b;
      })(),
      (() => {
        const b = good.slice();
        new DataView(b.buffer).setUint32(pkStart - 4, 5, true); // public-key length
        return b;
      })(),
    ];
    // The public key's first coefficient set to 2^64 − 1 (≥ its prime), and its seed's PRNG type to 0.
    const pkLength = new DataView(good.buffer).getUint32(pkStart - 4, true);
    const pkData = pkStart + 16 + 8 * 4 + 1 + 8 * 5 + 16 + 8;
    const coefficient = good.slice();
    coefficient.fill(0xff, pkData, pkData + 8);
    const prng = good.slice();
    prng[pkStart + pkLength - 65] = 0;
    const exceptions = nativeExceptions();
    for (const bytes of [...bad, coefficient, prng]) assert.throws(() => be.importServerKeys(bytes).dispose(), ProtocolError);
    assert.equal(nativeExceptions(), exceptions, 'no garbage reached node-seal');
  });

  it('needs the Galois key of every rotation step', () => {
    withScope((s) => {
      const c = s.track(be.encryptPublic(randomSlots(n, p), server));
      assert.throws(() => be.rotateRows(c, 2, server), /no Galois key for step 2/);
      assert.throws(() => be.rotateRows(c, 0, server), RangeError);
      assert.throws(() => be.rotateRows(c, 2048, server), RangeError);
      // Step −1 and 2047 are the same Galois element: either key serves both.
      const x = be.decrypt(c, client);
      assert.deepEqual(be.decrypt(s.track(be.rotateRows(c, 2047, server)), client), reference.rotateRows(x, -1));
      const bare = s.track(be.generateKeys([]));
      const bareServer = s.track(be.importServerKeys(be.exportServerKeys(bare)));
      assert.deepEqual(bareServer.galoisSteps, []);
      assert.throws(() => be.rotateColumns(c, bareServer), /no Galois key for step 0/);
    });
  });

  it('checks arguments and handle ownership', () => {
    withScope((s) => {
      assert.throws(() => be.encode(new Uint32Array(n - 1)), RangeError);
      assert.throws(() => be.encode(new Uint32Array(n).fill(p)), RangeError);
      const c = s.track(be.encryptPublic(randomSlots(n, p), server));
      assert.throws(() => be.addPlain(c, s.track(be.encodeForMultiply(randomSlots(n, p)))), TypeError);
      assert.throws(() => be.generateKeys([1.5]), RangeError);
      const disposed = be.encryptPublic(randomSlots(n, p), server);
      disposed.dispose();
      disposed.dispose();
      assert.throws(() => be.serialize(disposed), /after dispose/);
    });
  });

  it('reports the flooding margin of every returned ciphertext, the same the noise model predicts', () => {
    withScope((s) => {
      const c = s.track(be.encryptPublic(randomSlots(n, p), server));
      const product = s.track(be.mulPlain(c, s.track(be.encodeForMultiply(randomSlots(n, p)))));
      const predicted = be.marginBits(product);
      assert.ok(be.marginBits(c) > predicted, 'a product has more noise to hide than a fresh encryption');
      assert.equal(be.finish(product, server).marginBits, predicted);
    });
  });

  it('releases every node-seal object it creates', () => {
    const before = liveNativeObjects();
    withScope((s) => {
      const keys = s.track(be.generateKeys([1]));
      const srv = s.track(be.importServerKeys(be.exportServerKeys(keys)));
      const c = s.track(be.deserialize(be.encryptSymmetric(randomSlots(n, p), keys)));
      const m = s.track(be.mulPlain(c, s.track(be.encodeForMultiply(randomSlots(n, p)))));
      const r = s.track(be.rotateRows(m, 1, srv));
      be.addInPlace(r, m);
      be.decryptionNoise(s.track(be.deserialize(be.finish(r, srv).bytes)), keys);
      assert.ok(liveNativeObjects() > before);
    });
    assert.equal(liveNativeObjects(), before);
  });
});

describe('seal-bfv configuration and margin policy', () => {
  it('refuses a preset whose flooding margin is below the requested one, unless accepted', async () => {
    await assert.rejects(SealBfvBackend.create({ preset: 'fast' }, variant), (e: unknown) => e instanceof SecurityError && /acceptLowerMargin/.test(e.message));
    const secure = await SealBfvBackend.create({}, variant);
    try {
      assert.equal(secure.params.preset, 'secure');
      assert.ok(secure.referenceMarginBits >= 40, `secure preset margin ${secure.referenceMarginBits}`);
    } finally {
      secure.dispose();
    }
    await assert.rejects(SealBfvBackend.create({ minMarginBits: 80 }, variant), SecurityError);
  });

  it('refuses to return a ciphertext whose own margin is too low, and reports it when the user accepts', async () => {
    for (const acceptLowerMargin of [false, true]) {
      const be = await SealBfvBackend.create({ minMarginBits: 60, acceptLowerMargin }, variant);
      try {
        withScope((s) => {
          const n = be.params.slotCount;
          const keys = s.track(be.generateKeys([]));
          const server = s.track(be.importServerKeys(be.exportServerKeys(keys)));
          const w = s.track(be.encodeForMultiply(randomSlots(n, be.params.plainModulus)));
          const deep = s.track(be.mulPlain(s.track(be.mulPlain(s.track(be.encryptPublic(new Uint32Array(n), server)), w)), w));
          if (acceptLowerMargin) assert.ok(be.finish(deep, server).marginBits < 60);
          else assert.throws(() => be.finish(deep, server), SecurityError);
          // A caller's stricter requirement (an inference returning many ciphertexts needs 40 + log2 R bits each).
          const fresh = s.track(be.encryptPublic(new Uint32Array(n), server));
          const margin = be.marginBits(fresh);
          assert.equal(be.finish(fresh, server, margin - 0.5).marginBits, margin);
          if (acceptLowerMargin) assert.equal(be.finish(fresh, server, margin + 0.5).marginBits, margin);
          else assert.throws(() => be.finish(fresh, server, margin + 0.5), (e: unknown) => e instanceof SecurityError && /below the required/.test((e as Error).message));
        });
      } finally {
        be.dispose();
      }
    }
  });

  it('validates custom parameters with clear ConfigErrors', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ preset: 'medium' }, /unknown preset "medium"; valid presets: secure, fast/],
      [{ colour: 'red' }, /unknown option "colour"/],
      [{ polyModulusDegree: 3000, coeffModulusBits: [40, 40] }, /power of two/],
      [{ polyModulusDegree: 4096, coeffModulusBits: [60, 60] }, /exceeds the 128-bit security limit of 109 bits/],
      [{ polyModulusDegree: 4096, coeffModulusBits: [40] }, /at least two prime sizes/],
      [{ polyModulusDegree: 4096, coeffModulusBits: [40, 30] }, /special prime .* at least as large/],
      [{ polyModulusDegree: 8192, coeffModulusBits: [50, 50, 50], plainModulus: 40961 }, /not ≡ 1 mod 2n = 16384/],
      [{ polyModulusDegree: 8192, coeffModulusBits: [50, 50, 50], plainModulus: 2 * 16384 + 1 }, /32769 is not prime/],
      // Few 19-bit primes are ≡ 1 mod 65536: SEAL's own search would throw (and an exception corrupts node-seal).
      [{ polyModulusDegree: 32768, coeffModulusBits: [19, 19, 19, 19, 19, 19, 19, 19, 60], plainModulusBits: 17 }, /8 primes of 19 bits, but only \d primes/],
      [{ preset: 'fast', polyModulusDegree: 4096 }, /either "preset" or custom/],
      [{ preset: 'secure', plainModulus: 557057 + 2 }, /not ≡ 1 mod 2n = 16384/],
      [{ minMarginBits: -1 }, /minMarginBits/],
      [{ acceptLowerMargin: 'yes' }, /acceptLowerMargin/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(SealBfvBackend.create(options, variant), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(options));
    }
    // A preset with another plaintext prime (a model quantised for a 28-bit prime).
    const wide = await SealBfvBackend.create({ preset: 'secure', plainModulus: 268582913 }, variant);
    try {
      assert.deepEqual([wide.params.preset, wide.params.polyModulusDegree, wide.params.plainModulus], ['secure', 8192, 268582913]);
      assert.ok(wide.referenceMarginBits >= 40, `margin ${wide.referenceMarginBits}`);
    } finally {
      wide.dispose();
    }
    const custom = await SealBfvBackend.create({ polyModulusDegree: 8192, coeffModulusBits: [50, 50, 50, 60], plainModulusBits: 20 }, variant);
    try {
      assert.equal(custom.params.preset, 'custom');
      assert.equal(custom.params.plainModulus % 16384, 1);
      assert.deepEqual(custom.params.coeffModulusBits, [50, 50, 50, 60]);
    } finally {
      custom.dispose();
    }
  });

  it('registers a semi-honest plugin and an insecure-test-only leaky variant', () => {
    assert.equal(seal.kind, 'he');
    assert.equal(seal.security, 'semi-honest');
    assert.equal(leaky.security, 'insecure-test-only');
  });
});
