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

/** A check that no aligned block repeats within any group of byte strings of a view (the groups say what is compared with what). */
export interface BlockRepeatCheckSpec {
  readonly name: string;
  readonly method: string;
  readonly statistic: string;
  /** The groups of one view; blocks are compared within a group. */
  readonly groups: (view: View) => readonly (readonly BlockSource[])[];
  /** What was compared, in words, and what to say when nothing repeats. */
  readonly samples: (blocks: number, groups: number, views: number) => string;
  readonly clean: (groups: number) => string;
}

export function blockRepeatCheck(spec: BlockRepeatCheckSpec): Check {
  return {
    name: spec.name,
    statistical: false,
    run(evidence: Evidence): CheckResult {
      const views = [...evidence.fixed, ...evidence.random];
      let repeats = 0;
      let bound = 0;
      let blocks = 0;
      let groups = 0;
      let finding: string | undefined;
      views.forEach((view, i) => {
        for (const group of spec.groups(view)) {
          const r = blockRepeats(group);
          groups++;
          repeats += r.repeats;
          blocks += r.blocks;
          bound += (r.blocks * (r.blocks - 1)) / 2 / 2 ** 128;
          if (r.first) finding ??= `view ${i}: ${r.first}`;
        }
      });
      return {
        name: spec.name,
        method: spec.method,
        statistic: { name: spec.statistic, value: repeats },
        margin: { name: 'probability of a repeat in uniform data (birthday bound)', value: bound },
        verdict: repeats === 0 ? 'pass' : 'fail',
        samples: spec.samples(blocks, groups, views.length),
        finding: finding ?? spec.clean(groups),
        attempts: 1,
      };
    },
  };
}

export function repeatedBlocksCheck(name: string, selector: MessageSelector): Check {
  return blockRepeatCheck({
    name,
    method: `aligned 16-byte blocks of ${describeSelector(selector)}, within each view`,
    statistic: 'repeated blocks',
    groups: (view) => [selectMessages(view, selector).map((m) => ({ bytes: m.bytes, name: `message ${m.seq} (${m.label}, ${m.kind})` }))],
    samples: (blocks, _groups, views) => `${blocks} blocks in ${views} views`,
    clean: () => 'no block repeats',
  });
}
