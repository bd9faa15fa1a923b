import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withScope } from '../../core/dispose.ts';
import { nativeExceptions } from './native-fault.ts';
import { liveNativeObjects } from './native.ts';
import { SealBfvBackend } from './seal-bfv.ts';
import { randomSlots } from './test-support.ts';

const ITERATIONS = 1000;
/** wasm memory: V8's external memory minus JS ArrayBuffers (garbage byte arrays come and go with GC). */
const wasmBytes = () => process.memoryUsage().external - process.memoryUsage().arrayBuffers;
/** wasm memory only grows; a leak of one ciphertext per iteration would add 128 MiB. */
const TOLERANCE_BYTES = 4 * 2 ** 20;
const ZERO_ROUNDS = 200;

describe('seal-bfv memory', () => {
  it(`does not grow over ${ITERATIONS} rounds of upload, mulPlain, rotate, add and finish`, async () => {
    const be = await SealBfvBackend.create({ preset: 'fast', acceptLowerMargin: true }, { name: 'seal-bfv', flooding: true });
    try {
      const { slotCount: n, plainModulus: p } = be.params;
      withScope((s) => {
        const client = s.track(be.generateKeys([1]));
        const server = s.track(be.importServerKeys(be.exportServerKeys(client)));
        const weights = s.track(be.encodeForMultiply(randomSlots(n, p)));
        const input = randomSlots(n, p);
        const round = (i: number) =>
          withScope((r) => {
            const x = r.track(be.deserialize(be.encryptSymmetric(input, client)));
            const product = r.track(be.mulPlain(x, weights));
            const sum = r.track(be.add(r.track(be.rotateRows(product, 1, server)), product));
            be.addInPlace(sum, x);
            if (i % 50 === 0) r.track(be.deserialize(be.finish(sum, server).bytes));
          });
        for (let i = 0; i < 50; i++) round(i);
        const live = liveNativeObjects();
        const heap = wasmBytes();
        for (let i = 0; i < ITERATIONS; i++) round(i);
        assert.equal(liveNativeObjects(), live, 'every node-seal object created in a round is deleted');
        const growth = wasmBytes() - heap;
        assert.ok(growth < TOLERANCE_BYTES, `wasm memory grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
      });
    } finally {
      be.dispose();
    }
  });

  it(`runs a layer of all-zero weights ${ZERO_ROUNDS} times in one process without an exception, a leak or a corrupted heap`, async () => {
    // Before: each such product, and each operation on its result, made node-seal throw ("result
    // ciphertext is transparent"): 5 per round, and after about 400 caught exceptions its wasm memory
    // was corrupted (native-fault.ts).
    const be = await SealBfvBackend.create({ preset: 'fast', acceptLowerMargin: true }, { name: 'seal-bfv', flooding: true });
    try {
      const { slotCount: n, plainModulus: p } = be.params;
      const exceptions = nativeExceptions();
      withScope((s) => {
        const client = s.track(be.generateKeys([1, 0]));
        const server = s.track(be.importServerKeys(be.exportServerKeys(client)));
        const zero = new Uint32Array(n);
        const zeroNtt = s.track(be.encodeForMultiply(zero));
        const zeroCoefficients = s.track(be.encode(zero));
        const bias = randomSlots(n, p);
        const biasPlain = s.track(be.encode(bias));
        const x = s.track(be.deserialize(be.encryptSymmetric(randomSlots(n, p), client)));
        const round = (i: number) =>
          withScope((r) => {
            // A layer whose weights are all zero: products, rotate-and-sum, bias; every 50th result returned.
            const product = r.track(be.mulPlain(x, zeroNtt));
            be.addInPlace(product, r.track(be.mulPlain(r.track(be.rotateRows(x, 1, server)), zeroCoefficients)));
            const folded = r.track(be.add(product, r.track(be.rotateColumns(product, server))));
            const out = r.track(be.addPlain(r.track(be.rotateRows(folded, 1, server)), biasPlain));
            if (i % 50 === 0) assert.deepEqual(be.decrypt(r.track(be.deserialize(be.finish(out, server).bytes)), client), bias);
          });
        // Warm-up: x's NTT form and the backend's zero product are cached on first use.
        for (let i = 0; i < 10; i++) round(i);
        const live = liveNativeObjects();
        const heap = wasmBytes();
        for (let i = 0; i < ZERO_ROUNDS; i++) round(i);
        assert.equal(nativeExceptions(), exceptions, 'node-seal raised no exception');
        assert.equal(liveNativeObjects(), live, 'every node-seal object created in a round is deleted');
        const growth = wasmBytes() - heap;
        assert.ok(growth < TOLERANCE_BYTES, `wasm memory grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
      });
    } finally {
      be.dispose();
    }
  });
});
