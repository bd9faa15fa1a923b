import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { onesVersusUniform, type NoiseComparison } from '../../harness/he-noise.ts';
import { SealBfvBackend } from './seal-bfv.ts';

/**
 * Circuit privacy (design §5): the decryption noise of returned ciphertexts must not depend on the
 * weights. All-ones and uniform weights run through the same 4-term packed layer; a two-sample KS test
 * compares the noise of every coefficient of 6 returned ciphertexts per set (harness/he-noise.ts).
 */
async function compare(preset: 'fast' | 'secure', flooding: boolean): Promise<NoiseComparison> {
  const backend = await SealBfvBackend.create({ preset, acceptLowerMargin: preset === 'fast' }, { name: 'seal-bfv', flooding });
  try {
    return onesVersusUniform(backend);
  } finally {
    backend.dispose();
  }
}

describe('circuit privacy: decryption noise of returned ciphertexts', () => {
  it('tells the weight sets apart without flooding (the test has power)', async () => {
    const r = await compare('fast', false);
    assert.ok(r.pValue < 1e-3, `KS D = ${r.statistic}, p = ${r.pValue}`);
    assert.equal(r.marginBits, 0);
  });

  it('cannot tell them apart with flooding (fast preset, margin reported below 40 bits)', async () => {
    const r = await compare('fast', true);
    assert.ok(r.pValue > 0.01, `KS D = ${r.statistic}, p = ${r.pValue}`);
    assert.ok(r.marginBits < 40);
  });

  it('cannot tell them apart with flooding (secure preset, margin ≥ 40 bits)', async () => {
    const r = await compare('secure', true);
    assert.ok(r.pValue > 0.01, `KS D = ${r.statistic}, p = ${r.pValue}`);
    assert.ok(r.marginBits >= 40, `margin ${r.marginBits}`);
  });
});
