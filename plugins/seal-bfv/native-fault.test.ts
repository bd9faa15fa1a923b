/**
 * Why the backend never lets node-seal throw, and what happens if it does anyway. This file runs in
 * its own process (node --test) and leaves that process's node-seal faulty and corrupted on purpose.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withScope } from '../../core/dispose.ts';
import { guardNative, nativeExceptions, NativeLibraryFault } from './native-fault.ts';
import { SealBfvBackend } from './seal-bfv.ts';
import { loadSeal } from './seal-loader.ts';
import { randomSlots } from './test-support.ts';

/** Raw node-seal objects (fast-preset parameters) for calls the backend would never make. */
async function rawSeal() {
  const seal = await loadSeal();
  const parms = seal.EncryptionParameters(seal.SchemeType.bfv);
  parms.setPolyModulusDegree(4096);
  parms.setCoeffModulus(seal.CoeffModulus.BFVDefault(4096, seal.SecurityLevel.tc128));
  parms.setPlainModulus(seal.Modulus(BigInt(557057)));
  const context = seal.Context(parms, true, seal.SecurityLevel.tc128);
  const keys = seal.KeyGenerator(context);
  const encryptor = seal.Encryptor(context, keys.createPublicKey());
  const evaluator = seal.Evaluator(context);
  const top = seal.CipherText();
  encryptor.encryptZero(top);
  const lower = seal.CipherText();
  evaluator.cipherModSwitchToNext(top, lower);
  const release = () => [lower, top, evaluator, encryptor, keys, context, parms].forEach((object) => object.delete());
  /** A call SEAL rejects with an exception: adding ciphertexts at different levels. */
  const mismatch = () => {
    const destination = seal.CipherText();
    try {
      evaluator.add(top, lower, destination);
    } finally {
      destination.delete();
    }
  };
  return { mismatch, release };
}

describe('node-seal exceptions', () => {
  it('fault the library at the first one: later guarded operations (every evaluator call, every load) are refused', async () => {
    const be = await SealBfvBackend.create({ preset: 'fast', acceptLowerMargin: true }, { name: 'seal-bfv', flooding: true });
    const { mismatch, release } = await rawSeal();
    const { slotCount: n, plainModulus: p } = be.params;
    withScope((s) => {
      const client = s.track(be.generateKeys([1]));
      const server = s.track(be.importServerKeys(be.exportServerKeys(client)));
      const upload = be.encryptSymmetric(randomSlots(n, p), client);
      const x = s.track(be.deserialize(upload));
      const weights = s.track(be.encodeForMultiply(randomSlots(n, p)));
      s.track(be.rotateRows(s.track(be.mulPlain(x, weights)), 1, server));
      assert.equal(nativeExceptions(), 0);

      assert.throws(() => guardNative('a deliberate level mismatch', mismatch), (error: Error) => error instanceof NativeLibraryFault && /parameter mismatch/.test(error.message));
      assert.equal(nativeExceptions(), 1);
      const refused = (error: Error) => error instanceof NativeLibraryFault && /refused/.test(error.message);
      assert.throws(() => be.mulPlain(x, weights), refused);
      assert.throws(() => be.rotateRows(x, 1, server), refused);
      assert.throws(() => be.deserialize(upload), refused);
      assert.equal(nativeExceptions(), 1, 'refused calls never reach node-seal');
    });
    be.dispose();
    release();
  });

  it('left unguarded, corrupt node-seal after a few hundred (the reason for the guard; fails if a node-seal release unwinds them)', async () => {
    // The objects are left to the process's end: deleting them on a corrupted heap could abort it.
    const { mismatch } = await rawSeal();
    let healthy = 0;
    let failure = '';
    for (; healthy < 5000; healthy++) {
      try {
        mismatch();
        failure = 'no exception';
      } catch (error) {
        failure = (error as Error).message;
      }
      if (!/parameter mismatch/.test(failure)) break;
    }
    assert.ok(healthy < 5000, 'node-seal kept raising its exception cleanly 5000 times: its exceptions no longer corrupt it');
    assert.ok(healthy > 10, `node-seal failed after only ${healthy} exceptions`);
    assert.doesNotMatch(failure, /parameter mismatch/, `after ${healthy} exceptions node-seal reported "${failure}"`);
  });
});
