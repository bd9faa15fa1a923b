/**
 * Hash-tweak instrumentation for the tests that check tweaks never repeat under one Δ (issue 11
 * item 1; core/gc/session.test.ts, core/inference/tweaks.test.ts): a garbling decorator that logs
 * the salt and gate-id range of every AND batch either party hashes, and the overlap check. Gate g
 * hashes with tweaks 2g and 2g + 1 under the salt (core/garbling.ts), so overlapping gate ranges
 * under one salt are repeated tweaks.
 */
import { BLOCK_BYTES } from '../../core/bytes.ts';
import { GarblingSchemeDecorator } from '../../core/gc/scheme-decorator.ts';
import type { GarblingScheme } from '../../core/garbling.ts';

export interface GateBatch {
  readonly role: 'garbler' | 'evaluator';
  readonly salt: bigint;
  readonly firstGateId: number;
  readonly gates: number;
}

/** `inner`, logging every batch it garbles or evaluates into `log` (salted copies log there too). */
export class TweakRecorder extends GarblingSchemeDecorator {
  constructor(
    inner: GarblingScheme,
    readonly log: GateBatch[],
  ) {
    super(inner);
  }

  protected rewrap(inner: GarblingScheme): GarblingScheme {
    return new TweakRecorder(inner, this.log);
  }

  override garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    this.log.push({ role: 'garbler', salt: this.salt, firstGateId, gates: a0.length / BLOCK_BYTES });
    super.garbleAnd(a0, b0, delta, firstGateId, outZero, tables);
  }

  override evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    this.log.push({ role: 'evaluator', salt: this.salt, firstGateId, gates: a.length / BLOCK_BYTES });
    super.evaluateAnd(a, b, firstGateId, tables, out);
  }
}

/** Gate ranges of `batches` that overlap another under the same salt (repeated tweaks), described; empty if none. */
export function repeatedTweaks(batches: readonly GateBatch[]): string[] {
  const ranges = batches
    .filter((b) => b.gates > 0)
    .map((b) => ({ salt: b.salt, from: b.firstGateId, to: b.firstGateId + b.gates }))
    .sort((x, y) => (x.salt === y.salt ? x.from - y.from : x.salt < y.salt ? -1 : 1));
  const repeats: string[] = [];
  let reach = ranges[0];
  for (const range of ranges.slice(1)) {
    if (range.salt === reach!.salt && range.from < reach!.to) repeats.push(`salt ${range.salt}: gates [${range.from}, ${Math.min(reach!.to, range.to)}) twice`);
    if (range.salt !== reach!.salt || range.to > reach!.to) reach = range;
  }
  return repeats;
}
