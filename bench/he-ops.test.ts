import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../core/config.ts';
import { wire } from '../core/container.ts';
import { builtinRegistry } from '../plugins/index.ts';
import { SealBfvBackend } from '../plugins/seal-bfv/seal-bfv.ts';
import { measureHeOps } from './he-ops.ts';

describe('he-ops bench (quick mode)', () => {
  it('times every operation and measures the bytes on the wire', async () => {
    const config = parseConfig({ plugins: { he: { name: 'seal-bfv', options: { preset: 'fast', acceptLowerMargin: true } } } });
    const wiring = await wire(config, builtinRegistry(), ['he']);
    try {
      const backend = wiring.get('he');
      // seal-bfv's own class: the raw node-seal rotation is timed beside it, and its noise model read here.
      assert.ok(backend instanceof SealBfvBackend);
      const r = await measureHeOps(backend, { quick: true });
      assert.equal(r.polyModulusDegree, 4096);
      for (const [op, s] of Object.entries(r.seconds)) assert.ok(s > 0 && s < 5, `${op}: ${s} s`);
      assert.ok(r.seconds.rawNodeSealRotate! > 0 && r.rotateOverRaw! > 0);
      assert.ok(Math.abs(r.symmetricUploadRatio - 0.5) < 0.01);
      assert.ok(r.bytes.returned < r.bytes.uploadPublicKey, 'mod-switched before returning');
      assert.ok(r.bytes.galoisKeyPerStep > r.bytes.uploadPublicKey, 'a Galois key is larger than a ciphertext');
      assert.equal(r.marginBits, backend.noise.marginBits(backend.noise.mulPlain(backend.noise.publicKey)));
    } finally {
      await wiring.dispose();
    }
  });
});
