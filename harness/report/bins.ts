/** Equal-width bins over samples (histograms of reports): one set of edges for every series, so they overlay. */

export interface Binned {
  /** k + 1 increasing edges for k bins; the last bin includes its upper edge. */
  readonly edges: number[];
  /** Per series, the count of its samples in each bin. */
  readonly counts: number[][];
}

/** `bins` equal-width bins from the smallest to the largest sample of all series (widened a little when every sample is equal). */
export function equalWidthBins(series: readonly ArrayLike<number>[], bins: number): Binned {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const samples of series) {
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]!;
      if (!Number.isFinite(v)) throw new RangeError(`samples must be finite, got ${v}`);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) throw new RangeError('no samples to bin');
  if (lo === hi) {
    const pad = Math.max(Math.abs(lo), 1) * 1e-6;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const counts = series.map((samples) => {
    const c = new Array<number>(bins).fill(0);
    for (let i = 0; i < samples.length; i++) c[Math.min(bins - 1, Math.floor((samples[i]! - lo) / width))]! += 1;
    return c;
  });
  return { edges, counts };
}
