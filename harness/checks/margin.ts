/**
 * Circuit privacy per inference (design §5): every ciphertext the server returns must keep a
 * flooding margin of at least 40 + log2(ciphertexts returned per inference) bits, so that the
 * statistical distance between what the client decrypts and a fresh encryption of the same value
 * stays below 2^-40 over the whole inference (union bound). Deterministic: the margins are the HE
 * backend's worst-case noise bounds over public data, the requirement comes from the plan.
 */
import type { Check, CheckResult, Evidence } from './check.ts';

export function circuitPrivacyMarginCheck(name = 'circuit-privacy-margin'): Check {
  return {
    name,
    statistical: false,
    run(evidence: Evidence): CheckResult {
      const margins = evidence.margins ?? [];
      if (margins.length === 0) throw new RangeError(`${name}: the evidence has no margins of returned ciphertexts`);
      const worst = margins.reduce((w, m) => (m.minBits - m.requiredBits < w.minBits - w.requiredBits ? m : w));
      const slack = worst.minBits - worst.requiredBits;
      const ciphertexts = margins.reduce((s, m) => s + m.ciphertexts, 0);
      return {
        name,
        method: 'smallest flooding margin the server reported for any returned ciphertext, against 40 + log2(ciphertexts returned per inference)',
        statistic: { name: 'smallest margin (bits)', value: worst.minBits },
        margin: { name: 'smallest margin minus the requirement (bits)', value: slack },
        verdict: slack >= 0 ? 'pass' : 'fail',
        samples: `${ciphertexts} returned ciphertexts in ${margins.length} runs`,
        finding: `smallest margin ${worst.minBits.toFixed(1)} bits, required ${worst.requiredBits.toFixed(1)} bits`,
        attempts: 1,
      };
    },
  };
}
