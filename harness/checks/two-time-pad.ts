/**
 * No two-time pad (design §7b): two messages of one protocol step (same label, kind and size, e.g.
 * the OT extension columns of two inferences of a session) XOR to pseudorandom bytes. If both were
 * padded with the same stream (an IKNP column PRG restarted per call), their XOR is the XOR of what
 * was padded: for IKNP the choice vectors, the same in every one of the 128 columns, so aligned
 * 16-byte blocks of the XOR repeat. Counted within the XOR of each consecutive pair of such messages;
 * a repeat among N uniform blocks has probability below N²/2^129 (reported).
 */
import { describeSelector, selectMessages, type MessageSelector } from '../features.ts';
import type { View, ViewMessage } from '../view.ts';
import type { Check } from './check.ts';
import { blockRepeatCheck, type BlockSource } from './repeated-blocks.ts';

/** Consecutive pairs of selected messages with the same label, kind and size. */
function pairs(view: View, selector: MessageSelector): [ViewMessage, ViewMessage][] {
  const last = new Map<string, ViewMessage>();
  const out: [ViewMessage, ViewMessage][] = [];
  for (const m of selectMessages(view, selector)) {
    const key = `${m.label}|${m.kind}|${m.bytes.length}`;
    const previous = last.get(key);
    if (previous) out.push([previous, m]);
    last.set(key, m);
  }
  return out;
}

function xorOf(a: ViewMessage, b: ViewMessage): BlockSource {
  const xor = new Uint8Array(a.bytes.length);
  for (let i = 0; i < xor.length; i++) xor[i] = a.bytes[i]! ^ b.bytes[i]!;
  return { bytes: xor, name: `the XOR of messages ${a.seq} and ${b.seq} (${a.label}, ${a.kind})` };
}

export function twoTimePadCheck(name: string, selector: MessageSelector): Check {
  return blockRepeatCheck({
    name,
    method: `aligned 16-byte blocks of the XOR of consecutive messages of one step (same label, kind, size) of ${describeSelector(selector)}`,
    statistic: 'repeated blocks in XORs',
    groups: (view) => pairs(view, selector).map(([a, b]) => [xorOf(a, b)]),
    samples: (blocks, pairCount, views) => `${pairCount} message pairs, ${blocks} blocks, in ${views} views`,
    clean: (pairCount) => (pairCount === 0 ? 'no step sends two messages of one size in a view' : 'no XOR of two messages repeats a block'),
  });
}
