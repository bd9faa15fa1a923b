/**
 * Canary check (design §7c): no window of the other party's secret — weights, image, masks, Δ,
 * choice bits, shares — appears anywhere in the observer's received messages, at any offset.
 * Run on the views under random secrets, whose windows are high-entropy: a chance match in N
 * received bytes has probability below N·W/2^b for W windows of b bits of entropy each, which the
 * result reports. Windows are 16 bytes unless a canary asks for longer ones (low-entropy secrets);
 * windows of fewer than 4 distinct byte values (a secret of zeros) are no evidence and not searched.
 */
import type { ViewMessage } from '../view.ts';
import type { Canary, Check, CheckResult, Evidence } from './check.ts';

export const CANARY_WINDOW = 16;

interface Window {
  readonly name: string;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** Fewer distinct byte values than this make a window no evidence: a run of zeros, say, matches padding by chance. */
const MIN_DISTINCT_BYTES = 4;

/** Whether the window at `at` is too uniform to be a canary (a secret that is all zeros, like a zero mask, has no such window). */
function degenerate(bytes: Uint8Array, at: number, length: number): boolean {
  let seen = 0;
  let first = -1;
  let second = -1;
  let third = -1;
  for (let i = at; i < at + length; i++) {
    const b = bytes[i]!;
    if (b === first || b === second || b === third) continue;
    if (++seen >= MIN_DISTINCT_BYTES) return false;
    if (first < 0) first = b;
    else if (second < 0) second = b;
    else third = b;
  }
  return true;
}

/**
 * Rabin–Karp: a polynomial hash of every `length`-byte window, rolled one byte at a time (mod 2^32),
 * so that a scan costs O(1) per offset whatever the number of canary windows; equal hashes are then
 * compared byte by byte.
 */
const BASE = 0x01000193;

function power(length: number): number {
  let p = 1;
  for (let i = 1; i < length; i++) p = Math.imul(p, BASE);
  return p >>> 0;
}

function hashAt(bytes: Uint8Array, at: number, length: number): number {
  let h = 0;
  for (let i = at; i < at + length; i++) h = (Math.imul(h, BASE) + bytes[i]!) >>> 0;
  return h;
}

/** The windows of one length: by hash, and a bitmap of the hashes' top 24 bits (the scan's cheap first test). */
interface SameLength {
  readonly byHash: Map<number, Window[]>;
  readonly seen: Uint32Array;
}

/** The canaries' windows (every `stride` bytes) by length, then by hash; and the chance-match weight Σ W/2^b per byte scanned. */
function windowsOf(canaries: readonly Canary[]): { byLength: Map<number, SameLength>; chancePerByte: number } {
  const byLength = new Map<number, SameLength>();
  let chancePerByte = 0;
  for (const canary of canaries) {
    const length = windowOf(canary);
    let same = byLength.get(length);
    if (!same) byLength.set(length, (same = { byHash: new Map(), seen: new Uint32Array(1 << 19) }));
    const stride = canary.stride ?? 1;
    const count = Math.floor((canary.bytes.length - length) / stride) + 1;
    chancePerByte += count / 2 ** (canary.bits ?? 8 * length);
    for (let at = 0; at + length <= canary.bytes.length; at += stride) {
      if (degenerate(canary.bytes, at, length)) continue;
      const h = hashAt(canary.bytes, at, length);
      same.seen[h >>> 13]! |= 1 << ((h >>> 8) & 31);
      let list = same.byHash.get(h);
      if (!list) same.byHash.set(h, (list = []));
      list.push({ name: canary.name, offset: at, bytes: canary.bytes.subarray(at, at + length) });
    }
  }
  return { byLength, chancePerByte };
}

function windowOf(canary: Canary): number {
  const window = canary.window ?? CANARY_WINDOW;
  if (!Number.isSafeInteger(window) || window < CANARY_WINDOW) throw new RangeError(`canary "${canary.name}": window of ${window} bytes, at least ${CANARY_WINDOW} needed`);
  if (canary.bytes.length < window) throw new RangeError(`canary "${canary.name}" has ${canary.bytes.length} bytes, fewer than its window of ${window}`);
  return window;
}

function equalAt(bytes: Uint8Array, at: number, window: Uint8Array): boolean {
  for (let i = 0; i < window.length; i++) if (bytes[at + i] !== window[i]) return false;
  return true;
}

function firstHit(messages: readonly ViewMessage[], windows: ReturnType<typeof windowsOf>): string | undefined {
  for (const [length, { byHash, seen }] of windows.byLength) {
    const top = power(length);
    for (const m of messages) {
      const bytes = m.bytes;
      if (bytes.length < length) continue;
      let h = hashAt(bytes, 0, length);
      for (let at = 0; ; at++) {
        const hit = (seen[h >>> 13]! & (1 << ((h >>> 8) & 31))) !== 0 ? byHash.get(h)?.find((c) => equalAt(bytes, at, c.bytes)) : undefined;
        if (hit) return `bytes ${hit.offset}..${hit.offset + length - 1} of "${hit.name}" at offset ${at} of message ${m.seq} (${m.label}, ${m.kind})`;
        if (at + length >= bytes.length) break;
        h = (Math.imul((h - Math.imul(bytes[at]!, top)) >>> 0, BASE) + bytes[at + length]!) >>> 0;
      }
    }
  }
  return undefined;
}

export function canaryCheck(name = 'canary'): Check {
  return {
    name,
    statistical: false,
    run(evidence: Evidence): CheckResult {
      if (evidence.secrets.length !== evidence.random.length) {
        throw new RangeError(`${name}: ${evidence.secrets.length} secret sets for ${evidence.random.length} random views`);
      }
      let hits = 0;
      let bound = 0;
      let scanned = 0;
      let finding: string | undefined;
      evidence.random.forEach((view, i) => {
        const windows = windowsOf(evidence.secrets[i]!);
        const bytes = view.messages.reduce((s, m) => s + m.bytes.length, 0);
        scanned += bytes;
        bound += bytes * windows.chancePerByte;
        const hit = firstHit(view.messages, windows);
        if (hit) {
          hits++;
          finding ??= `random view ${i}: ${hit}`;
        }
      });
      const names = [...new Set(evidence.secrets.flat().map((c) => c.name))].join(', ');
      return {
        name,
        method: `every window (${CANARY_WINDOW} bytes, longer for low-entropy secrets) of the other party's secrets (${names}) searched at every offset of the received messages`,
        statistic: { name: 'views containing a canary', value: hits },
        margin: { name: 'probability of a chance match (union bound)', value: bound },
        verdict: hits === 0 ? 'pass' : 'fail',
        samples: `${evidence.random.length} views, ${scanned} bytes`,
        finding: finding ?? 'no canary found',
        attempts: 1,
      };
    },
  };
}
