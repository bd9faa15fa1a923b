import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, REFERENCES } from '../../test/vectors/stats/references.ts';
import { chiSquareSurvival, normalQuantile, studentTQuantile, studentTTwoSided } from './distributions.ts';
import { kolmogorovQuantile } from './ks.ts';

describe('reference distributions (jStat) against SciPy', () => {
  it("Student's t two-sided tail, far into the tail", () => {
    for (const { t, df, p } of REFERENCES.t_two_sided) {
      const got = studentTTwoSided(t, df);
      assert.ok(close(got, p, 1e-6, 1e-300), `t = ${t}, df = ${df}: ${got}, SciPy ${p}`);
    }
  });

  it('chi-square tail', () => {
    for (const { x, df, p } of REFERENCES.chi2_sf) {
      const got = chiSquareSurvival(x, df);
      assert.ok(close(got, p, 1e-7, 1e-15), `x = ${x}, df = ${df}: ${got}, SciPy ${p}`);
    }
  });

  it('quantiles of t, the normal and the Kolmogorov distribution', () => {
    for (const { q, df, x } of REFERENCES.t_quantile) assert.ok(close(studentTQuantile(q, df), x, 1e-6), `t quantile ${q}, ${df}`);
    for (const { q, x } of REFERENCES.normal_quantile) assert.ok(close(normalQuantile(q), x, 1e-6, 1e-12), `normal quantile ${q}`);
    for (const { q, x } of REFERENCES.kolmogorov_quantile) assert.ok(close(kolmogorovQuantile(q), x, 1e-7), `Kolmogorov quantile ${q}: ${kolmogorovQuantile(q)} vs ${x}`);
  });

  it('tails are 1 at the centre, 0 at infinity, and refuse bad degrees of freedom', () => {
    assert.equal(studentTTwoSided(0, 3), 1);
    assert.equal(studentTTwoSided(Number.POSITIVE_INFINITY, 3), 0);
    assert.equal(chiSquareSurvival(0, 4), 1);
    assert.throws(() => studentTTwoSided(1, 0), RangeError);
    assert.throws(() => chiSquareSurvival(1, -1), RangeError);
    assert.throws(() => normalQuantile(1), RangeError);
  });
});
