/**
 * Canary check (design §7c): no 16-byte window of the other party's secret — weights, image,
 * masks, Δ, choice bits — appears anywhere in the observer's received messages, at any offset.
 * Run on the views under random secrets, whose windows are high-entropy: a chance match in N
 * received bytes has probability below N·W/2^128 for W windows, which the result reports.
 */
import type { ViewMessage } from '../view.ts';
import type { Canary, Check, CheckResult, Evidence } from './check.ts';

export const CANARY_WINDOW = 16;

/** Every window of the canaries, keyed by its first 4 bytes (a cheap filter) then in full. */
function windowsOf(canaries: readonly Canary[]): Map<number, { key: string; name: string; offset: number }[]> {
  const byPrefix = new Map<number, { key: string; name: string; offset: number }[]>();
  for (const canary of canaries) {
    if (canary.bytes.length < CANARY_WINDOW) throw new RangeError(`canary "${canary.name}" has ${canary.bytes.length} bytes, fewer than ${CANARY_WINDOW}`);
    const buffer = Buffer.from(canary.bytes.buffer, canary.bytes.byteOffset, canary.bytes.length);
    for (let at = 0; at + CANARY_WINDOW <= canary.bytes.length; at++) {
      const prefix = buffer.readUInt32LE(at);
      let list = byPrefix.get(prefix);
      if (!list) byPrefix.set(prefix, (list = []));
      list.push({ key: buffer.toString('latin1', at, at + CANARY_WINDOW), name: canary.name, offset: at });
    }
  }
  return byPrefix;
}

function firstHit(messages: readonly ViewMessage[], windows: ReturnType<typeof windowsOf>): string | undefined {
  for (const m of messages) {
    const buffer = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length);
    for (let at = 0; at + CANARY_WINDOW <= m.bytes.length; at++) {
      const candidates = windows.get(buffer.readUInt32LE(at));
      if (!candidates) continue;
      const key = buffer.toString('latin1', at, at + CANARY_WINDOW);
      const hit = candidates.find((c) => c.key === key);
      if (hit) return `bytes ${hit.offset}..${hit.offset + CANARY_WINDOW - 1} of "${hit.name}" at offset ${at} of message ${m.seq} (${m.label}, ${m.kind})`;
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
        const count = [...windows.values()].reduce((s, l) => s + l.length, 0);
        const bytes = view.messages.reduce((s, m) => s + m.bytes.length, 0);
        scanned += bytes;
        bound += (bytes * count) / 2 ** 128;
        const hit = firstHit(view.messages, windows);
        if (hit) {
          hits++;
          finding ??= `random view ${i}: ${hit}`;
        }
      });
      const names = [...new Set(evidence.secrets.flat().map((c) => c.name))].join(', ');
      return {
        name,
        method: `every ${CANARY_WINDOW}-byte window of the other party's secrets (${names}) searched at every offset of the received messages`,
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
