import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withScope } from '../../core/dispose.ts';
import { liveNativeObjects } from './native.ts';
import { SealBfvBackend } from './seal-bfv.ts';
import { randomSlots } from './test-support.ts';

const ITERATIONS = 1000;
/** wasm memory: V8's external memory minus JS ArrayBuffers (garbage byte arrays come and go with GC). */
const wasmBytes = () => process.memoryUsage().external - process.memoryUsage().arrayBuffers;
/** wasm memory only grows; a leak of one ciphertext per iteration would add 128 MiB. */
const TOLERANCE_BYTES = 4 * 2 ** 20;

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
});
