/**
 * Fresh shares (design §2: every mask fresh from the session's random source): no block of 4
 * consecutive derived share values repeats anywhere across the real views, in either class. Four
 * uniform values mod p repeat by chance with probability p^-4 per pair of blocks (2^-76 for
 * p = 557057); the result reports the birthday bound over all blocks. A mask sampler with a fixed
 * seed, or no mask at all, makes every run with the fixed secret give the same shares again.
 * Deterministic up to that bound.
 */
import { derivedEntries } from '../features.ts';
import type { Check, CheckResult, Evidence } from './check.ts';

const BLOCK = 4;

export function freshSharesCheck(name: string, pattern: RegExp, p: number): Check {
  return {
    name,
    statistical: false,
    run(evidence: Evidence): CheckResult {
      const views = [...evidence.fixed.map((v, i) => ['fixed', i, v] as const), ...evidence.random.map((v, i) => ['random', i, v] as const)];
      const seen = new Map<string, string>();
      let blocks = 0;
      let repeats = 0;
      let finding: string | undefined;
      for (const [cls, index, view] of views) {
        for (const [key, values] of derivedEntries(view, pattern)) {
          for (let at = 0; at + BLOCK <= values.length; at += BLOCK) {
            const block = Array.prototype.slice.call(values, at, at + BLOCK).join(',');
            const where = `${cls} view ${index}, ${key} at ${at}`;
            blocks++;
            const earlier = seen.get(block);
            if (earlier === undefined) seen.set(block, where);
            else {
              repeats++;
              finding ??= `${where} repeats ${earlier} (${block})`;
            }
          }
        }
      }
      return {
        name,
        method: `blocks of ${BLOCK} consecutive derived shares (${pattern.source}), compared across every real view of both classes`,
        statistic: { name: 'repeated blocks', value: repeats },
        margin: { name: 'probability of a repeat among uniform shares (birthday bound)', value: (blocks * (blocks - 1)) / 2 / p ** BLOCK },
        verdict: repeats === 0 ? 'pass' : 'fail',
        samples: `${blocks} blocks in ${views.length} views`,
        finding: finding ?? 'no block of shares repeats',
        attempts: 1,
      };
    },
  };
}
