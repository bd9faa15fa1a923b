/**
 * Every slot masked afresh (design §2 step 3: the server subtracts a fresh uniform r from every
 * slot of every returned ciphertext, including the slots `unpack` ignores or sums — the share-domain
 * rotate-and-sum is safe only because of that). Pooled uniformity cannot see one unmasked slot among
 * thousands; this check looks at each slot on its own.
 *
 * Under the fixed secret the client's image and the server's model are the same in every run, so
 * whatever a slot holds before masking (a partial sum of W·x + b, a function of the true values
 * only) is the same in every inference of every fixed-class session. A masked slot takes each value
 * with probability 1/p, independently; an unmasked one repeats its value every time. The check
 * fails if some slot (same layer, part, ciphertext and index, its key without the inference prefix)
 * shows one value in at least 3 of its m observations; for uniform slots that happens with
 * probability at most C(m, 3)/p² per slot (union bound over the slots, reported). Two observations
 * would not do (a chance pair has probability 1/p, too likely over thousands of slots), so the
 * check needs at least 3 (runs per class × inferences per session).
 */
import { derivedEntries } from '../features.ts';
import type { Check, CheckResult, Evidence } from './check.ts';

/** Observations of one value that a masked slot would show only by chance; each slot must be observed at least this often. */
export const PER_SLOT_OBSERVATIONS = 3;
const REPEATS = PER_SLOT_OBSERVATIONS;

function binomial3(m: number): number {
  return (m * (m - 1) * (m - 2)) / 6;
}

/** The slot's identity across inferences: the derived key without its `i<k>/` prefix. */
function slotKey(key: string): string {
  return key.replace(/^i\d+\//, '');
}

export function perSlotMasksCheck(name: string, pattern: RegExp, p: number): Check {
  return {
    name,
    statistical: false,
    run(evidence: Evidence): CheckResult {
      // Per slot vector: its observations under the fixed secret, in order.
      const observations = new Map<string, ArrayLike<number>[]>();
      for (const view of evidence.fixed) {
        for (const [key, values] of derivedEntries(view, pattern)) {
          const slot = slotKey(key);
          let list = observations.get(slot);
          if (!list) observations.set(slot, (list = []));
          list.push(values);
        }
      }
      let slots = 0;
      let bound = 0;
      let fewest = Infinity;
      let repeated = 0;
      let finding: string | undefined;
      for (const [key, vectors] of observations) {
        const m = vectors.length;
        fewest = Math.min(fewest, m);
        if (m < REPEATS) continue;
        const length = Math.min(...vectors.map((v) => v.length));
        slots += length;
        bound += (length * binomial3(m)) / p ** 2;
        const counts = new Map<number, number>();
        for (let s = 0; s < length; s++) {
          counts.clear();
          let most = 0;
          for (const v of vectors) {
            const c = (counts.get(v[s]!) ?? 0) + 1;
            counts.set(v[s]!, c);
            most = Math.max(most, c);
          }
          if (most >= REPEATS) {
            repeated++;
            finding ??= `slot ${s} of ${key} holds the same value in ${most} of its ${m} observations under the fixed secret`;
          }
        }
      }
      if (slots === 0) {
        throw new RangeError(`${name}: no slot observed at least ${REPEATS} times under the fixed secret (${fewest === Infinity ? 0 : fewest} observations): run more sessions per class or more inferences per session`);
      }
      return {
        name,
        method: `every slot of every share the client derives (${pattern.source}), across the fixed-secret sessions' inferences: no value ${REPEATS} times or more`,
        statistic: { name: 'slots repeating a value', value: repeated },
        margin: { name: `probability that a uniform slot repeats (union bound, C(m, ${REPEATS})/p² per slot)`, value: bound },
        verdict: repeated === 0 ? 'pass' : 'fail',
        samples: `${slots} slots, each observed ${fewest === Infinity ? 0 : fewest} times or more, in ${evidence.fixed.length} fixed-secret views`,
        finding: finding ?? 'every slot takes fresh values',
        attempts: 1,
      };
    },
  };
}
