/**
 * Reproducible numbers from a `RandomSource` (core/random.ts): the random weights of the benchmark
 * networks (design §8, CIFAR has no training data here) and of generated test models. Not for
 * secrets: the protocol's masks come from `uniformModP`.
 */
import type { RandomSource } from '../random.ts';

export class NumberStream {
  private words = new Uint32Array(0);
  private next = 0;

  constructor(private readonly source: RandomSource) {}

  /** A uniform 32-bit word (drawn 1024 at a time from the source). */
  word(): number {
    if (this.next === this.words.length) {
      this.words = new Uint32Array(this.source.fill(new Uint8Array(4096)).buffer);
      this.next = 0;
    }
    return this.words[this.next++]!;
  }

  /** Uniform in [0, 1), 53 bits. */
  uniform(): number {
    return ((this.word() >>> 5) * 67108864 + (this.word() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [lo, hi] (hi − lo < 2^32; the modulo bias is irrelevant for test data). */
  integer(lo: number, hi: number): number {
    return lo + (this.word() % (hi - lo + 1));
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** `count` values drawn by `draw`. */
  floats(count: number, draw: () => number): Float64Array {
    return Float64Array.from({ length: count }, draw);
  }
}
