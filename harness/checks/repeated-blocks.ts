/**
 * No repeated 16-byte blocks (design §7b): in pseudorandom traffic — OT extension columns, garbled
 * tables, wire labels — two equal aligned 16-byte blocks appear with probability below N²/2^129 for
 * N blocks. A repeat means a pad, a label or a PRG stream was used twice (an IKNP PRG restarted per
 * batch, a reused mask, a fixed seed). Deterministic up to that bound, which the result reports.
 */
import { describeSelector, selectMessages, type MessageSelector } from '../features.ts';
import type { View } from '../view.ts';
import type { Check, CheckResult, Evidence } from './check.ts';

const BLOCK = 16;

/** Byte strings whose aligned blocks are compared with each other, each named for the finding. */
export interface BlockSource {
  readonly bytes: Uint8Array;
  readonly name: string;
}

/** Repeats among the aligned 16-byte blocks of `sources` (blocks counted per source from its start); the first repeat described. */
export function blockRepeats(sources: Iterable<BlockSource>): { blocks: number; repeats: number; first?: string } {
  const seen = new Map<string, { source: BlockSource; at: number }>();
  let blocks = 0;
  let repeats = 0;
  let first: string | undefined;
  for (const source of sources) {
    const { bytes } = source;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let at = 0; at + BLOCK <= bytes.length; at += BLOCK) {
      const key = buffer.toString('latin1', at, at + BLOCK);
      blocks++;
      const earlier = seen.get(key);
      if (earlier === undefined) seen.set(key, { source, at });
      else {
        repeats++;
        first ??= `${source.name} offset ${at} repeats ${earlier.source.name} offset ${earlier.at}`;
      }
    }
  }
  return first === undefined ? { blocks, repeats } : { blocks, repeats, first };
}

/** Repeats among the aligned 16-byte blocks of the selected messages of one view. */
function repeatsIn(view: View, selector: MessageSelector): { blocks: number; repeats: number; first?: string } {
  return blockRepeats(selectMessages(view, selector).map((m) => ({ bytes: m.bytes, name: `message ${m.seq} (${m.label}, ${m.kind})` })));
}

export function repeatedBlocksCheck(name: string, selector: MessageSelector): Check {
  return {
    name,
    statistical: false,
    run(evidence: Evidence): CheckResult {
      const views = [...evidence.fixed, ...evidence.random];
      let repeats = 0;
      let bound = 0;
      let blocks = 0;
      let finding: string | undefined;
      views.forEach((view, i) => {
        const r = repeatsIn(view, selector);
        repeats += r.repeats;
        blocks += r.blocks;
        bound += (r.blocks * (r.blocks - 1)) / 2 / 2 ** 128;
        if (r.first) finding ??= `view ${i}: ${r.first}`;
      });
      return {
        name,
        method: `aligned 16-byte blocks of ${describeSelector(selector)}, within each view`,
        statistic: { name: 'repeated blocks', value: repeats },
        margin: { name: 'probability of a repeat in uniform data (birthday bound)', value: bound },
        verdict: repeats === 0 ? 'pass' : 'fail',
        samples: `${blocks} blocks in ${views.length} views`,
        finding: finding ?? 'no block repeats',
        attempts: 1,
      };
    },
  };
}
