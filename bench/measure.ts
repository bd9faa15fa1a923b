/** Measurement helpers shared by the benchmark suites. */
import { BLOCK_BYTES, randomBytes } from '../core/bytes.ts';
import { fixedKeyAes } from '../core/crypto/aes.ts';

/** CPU seconds of this process (user + system, all threads) since it started. */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** The median of `values` (robust against the shared machine's occasional slow sample). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `p`-th percentile of `values` (nearest rank: the smallest value with at least p% of them at or below it). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The machine's yardstick: bulk fixed-key AES blocks per CPU second, in batches of 2^16 blocks (the
 * size the hashes feed it), timed in windows of at least `windowSeconds`; the best of 5 windows.
 */
export function aesBlocksPerSecond(windowSeconds: number): number {
  const aes = fixedKeyAes();
  const blocks = 1 << 16;
  const buffer = randomBytes(blocks * BLOCK_BYTES);
  let best = 0;
  for (let window = 0; window < 5; window++) {
    let batches = 0;
    let elapsed = 0;
    const start = cpuSeconds();
    do {
      aes.encryptBlocks(buffer);
      batches++;
      elapsed = cpuSeconds() - start;
    } while (elapsed < windowSeconds);
    best = Math.max(best, (batches * blocks) / elapsed);
  }
  return best;
}
