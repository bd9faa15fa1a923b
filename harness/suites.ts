/**
 * The checks run on each primitive's views (design §7; issue 13). Each list states, per observer,
 * what must hold; names are stable so that tests and reports can refer to them ("flagged by
 * `repeated-blocks`").
 */
import type { Check } from './checks/check.ts';
import { canaryCheck } from './checks/canary.ts';
import { repeatedBlocksCheck } from './checks/repeated-blocks.ts';
import { shapeCheck } from './checks/shape.ts';
import { twoClassCheck } from './checks/two-class.ts';
import { uniformBytesCheck, uniformModPCheck } from './checks/uniformity.ts';
import { consecutiveDifferences, derivedMatching, derivedValues, messageBytes } from './features.ts';
import type { InferencePlan } from '../core/inference/plan.ts';
import { circuitPrivacyMarginCheck } from './checks/margin.ts';
import { freshSharesCheck } from './checks/fresh-shares.ts';
import { perSlotMasksCheck } from './checks/per-slot-masks.ts';
import { twoTimePadCheck } from './checks/two-time-pad.ts';
import { NOISE_KEYS, PERMUTE_BITS_KEY, SHARE_KEYS } from './experiments/inference-views.ts';

const OT_MESSAGES = { kind: 'ot-extension' } as const;
const GC_MESSAGES = { kind: ['input-labels', 'gc-table'] } as const;

/** The OT sender's view (the receiver's choice bits are the secret). */
export function otSenderChecks(): Check[] {
  return [
    shapeCheck(),
    canaryCheck(),
    repeatedBlocksCheck('repeated-blocks', OT_MESSAGES),
    uniformBytesCheck('uniform-bytes', OT_MESSAGES),
    twoClassCheck({ name: 'fixed-vs-random', feature: messageBytes(OT_MESSAGES), test: 'welch' }),
    twoClassCheck({ name: 'real-vs-simulated', feature: messageBytes(OT_MESSAGES), test: 'welch', comparison: 'real-vs-simulated' }),
  ];
}

/** The evaluator's view of a garbled run (the garbler's inputs are the secret). */
export function evaluatorChecks(): Check[] {
  const permuteBits = derivedValues('and-permute-bits');
  return [
    shapeCheck(),
    canaryCheck(),
    repeatedBlocksCheck('repeated-blocks', GC_MESSAGES),
    uniformBytesCheck('uniform-bytes', GC_MESSAGES),
    twoClassCheck({ name: 'fixed-vs-random', feature: messageBytes(GC_MESSAGES), test: 'welch' }),
    twoClassCheck({ name: 'fixed-vs-random:permute-bits', feature: permuteBits, test: 'welch' }),
    twoClassCheck({ name: 'real-vs-simulated:permute-bits', feature: permuteBits, test: 'welch', comparison: 'real-vs-simulated' }),
  ];
}

/** The client's view of a linear layer under HE (the weights are the secret; shares are uniform mod p). */
export function heClientChecks(p: number): Check[] {
  const shares = derivedValues('share');
  const noise = derivedValues('noise');
  return [
    shapeCheck(),
    canaryCheck(),
    uniformModPCheck('uniform-shares', shares, p),
    twoClassCheck({ name: 'fixed-vs-random:shares', feature: shares, test: 'ks' }),
    twoClassCheck({ name: 'fixed-vs-random:noise', feature: noise, test: 'ks' }),
    twoClassCheck({ name: 'real-vs-simulated:noise', feature: noise, test: 'ks', comparison: 'real-vs-simulated' }),
  ];
}

/** Garbled-circuit and OT traffic the client receives: pseudorandom bytes. */
const CLIENT_PSEUDORANDOM = { kind: ['input-labels', 'gc-table', 'ot-extension'] } as const;

/**
 * The client's view of whole inferences (the server's weights are the secret): what it receives
 * and what it derives — shares uniform (pooled, and slot by slot: every slot of every returned
 * ciphertext masked afresh), independent across layers and fresh in every run,
 * decryption noise and permute bits independent of the weights — and the circuit-privacy margin of
 * every returned ciphertext. Garbled-layer checks only where the plan garbles something, noise
 * checks only where the HE backend measures decryption noise (not the plaintext test double).
 *
 * The two-class comparisons pool every value of a class (KS): a view holds tens of thousands of
 * exchangeable values (slots, coefficients, bits), while sessions are few (seconds each), too few
 * for TVLA's position-by-position Welch t at the corrected level.
 */
export function clientInferenceChecks(plan: InferencePlan, measuresNoise: boolean): Check[] {
  const shares = derivedMatching(SHARE_KEYS, 'derived shares');
  const noise = derivedMatching(NOISE_KEYS, 'decryption noise');
  const permuteBits = derivedValues(PERMUTE_BITS_KEY);
  const garbled = plan.stages.some((s) => s.kind === 'nonlinear' || s.kind === 'argmax');
  return [
    shapeCheck(),
    canaryCheck(),
    circuitPrivacyMarginCheck(),
    uniformModPCheck('uniform-shares', shares, plan.p),
    uniformModPCheck('independent-shares', consecutiveDifferences(SHARE_KEYS, plan.p, 'differences of consecutive share vectors'), plan.p),
    freshSharesCheck('fresh-shares', SHARE_KEYS, plan.p),
    perSlotMasksCheck('per-slot-masks', SHARE_KEYS, plan.p),
    twoClassCheck({ name: 'fixed-vs-random:shares', feature: shares, test: 'ks' }),
    twoClassCheck({ name: 'real-vs-simulated:shares', feature: shares, test: 'ks', comparison: 'real-vs-simulated' }),
    ...(measuresNoise
      ? [
          twoClassCheck({ name: 'fixed-vs-random:noise', feature: noise, test: 'ks' }),
          twoClassCheck({ name: 'real-vs-simulated:noise', feature: noise, test: 'ks', comparison: 'real-vs-simulated' }),
        ]
      : []),
    ...(garbled
      ? [
          repeatedBlocksCheck('repeated-blocks', CLIENT_PSEUDORANDOM),
          twoTimePadCheck('two-time-pad', CLIENT_PSEUDORANDOM),
          uniformBytesCheck('uniform-bytes', CLIENT_PSEUDORANDOM),
          uniformModPCheck('uniform-permute-bits', permuteBits, 2),
          twoClassCheck({ name: 'fixed-vs-random:permute-bits', feature: permuteBits, test: 'ks' }),
          twoClassCheck({ name: 'real-vs-simulated:permute-bits', feature: permuteBits, test: 'ks', comparison: 'real-vs-simulated' }),
          twoClassCheck({ name: 'real-vs-simulated:gc', feature: messageBytes(CLIENT_PSEUDORANDOM), test: 'ks', comparison: 'real-vs-simulated' }),
        ]
      : []),
  ];
}

/**
 * The server's view of whole inferences (the client's image is the secret): what it receives —
 * the client's keys and ciphertexts, and its OT extension traffic (pseudorandom, never reusing a
 * pad, independent of the image given the server's own randomness).
 */
export function serverInferenceChecks(plan: InferencePlan): Check[] {
  const extended = plan.evaluatorInputBits > 0;
  return [
    shapeCheck(),
    canaryCheck(),
    ...(extended
      ? [
          repeatedBlocksCheck('repeated-blocks', OT_MESSAGES),
          twoTimePadCheck('two-time-pad', OT_MESSAGES),
          uniformBytesCheck('uniform-bytes', OT_MESSAGES),
          twoClassCheck({ name: 'fixed-vs-random:ot', feature: messageBytes(OT_MESSAGES), test: 'ks' }),
          twoClassCheck({ name: 'real-vs-simulated:ot', feature: messageBytes(OT_MESSAGES), test: 'ks', comparison: 'real-vs-simulated' }),
        ]
      : []),
  ];
}
