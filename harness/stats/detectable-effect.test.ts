import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, REFERENCES } from '../../test/vectors/stats/references.ts';
import { chiSquareDetectableEffect, ksDetectableEffect, welchDetectableEffect } from './detectable-effect.ts';
import { ksTwoSample } from './ks.ts';

describe('minimum detectable effects', () => {
  it("Welch: the d of the normal-theory formula, which SciPy's noncentral t says reaches within 2% of the power", () => {
    for (const { sizes, alpha, power, d, exactPower } of REFERENCES.welch_detectable) {
      assert.ok(close(welchDetectableEffect(sizes, alpha, power).size, d, 1e-6), `d for ${sizes}`);
      assert.ok(exactPower > power - 0.02, `exact power ${exactPower}`);
    }
  });

  it("chi-square: Cohen's w within 2% of the one SciPy's exact noncentral χ² gives", () => {
    for (const { bins, count, alpha, power, w } of REFERENCES.chi2_detectable) {
      const got = chiSquareDetectableEffect(bins, count, alpha, power).size;
      assert.ok(Math.abs(got - w) / w < 0.02, `bins ${bins}, n ${count}: w ${got}, SciPy ${w}`);
    }
  });

  it('KS: a shift of the size printed is detected (simulated, 20 draws)', () => {
    // Uniform samples shifted by D have sup-distance exactly D; at the bound, power must reach 0.9.
    const sizes: [number, number] = [400, 400];
    const { size } = ksDetectableEffect(sizes, 1e-3, 0.9);
    let detected = 0;
    let state = 12345;
    const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let draw = 0; draw < 20; draw++) {
      const a = Array.from({ length: sizes[0] }, uniform);
      const b = Array.from({ length: sizes[1] }, () => uniform() + size);
      if (ksTwoSample(a, b).pValue <= 1e-3) detected++;
    }
    assert.ok(detected >= 17, `${detected} of 20`);
  });

  it('shrinks with the sample size and grows as α falls', () => {
    assert.ok(welchDetectableEffect([100, 100], 1e-3).size < welchDetectableEffect([50, 50], 1e-3).size);
    assert.ok(welchDetectableEffect([50, 50], 1e-6).size > welchDetectableEffect([50, 50], 1e-3).size);
    assert.ok(chiSquareDetectableEffect(256, 1e5, 1e-3).size < chiSquareDetectableEffect(256, 1e4, 1e-3).size);
    assert.throws(() => welchDetectableEffect([1, 5], 0.01), RangeError);
    assert.throws(() => chiSquareDetectableEffect(1, 100, 0.01), RangeError);
  });
});
