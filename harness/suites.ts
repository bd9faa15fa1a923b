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
import { derivedValues, messageBytes } from './features.ts';

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
    twoClassCheck({ name: 'fixed-vs-random:shares', feature: shares, test: 'welch' }),
    twoClassCheck({ name: 'fixed-vs-random:noise', feature: noise, test: 'ks' }),
    twoClassCheck({ name: 'real-vs-simulated:noise', feature: noise, test: 'ks', comparison: 'real-vs-simulated' }),
  ];
}
