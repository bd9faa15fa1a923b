/**
 * The whole-inference checks on small hand-made evidence: each passes on what a clean protocol
 * produces and fails on the leak it is for (a check that cannot fail proves nothing). The feature
 * (features/privacy.feature) shows the same on real inferences with the leaky plugins.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, randomBytesFrom, uniformModP } from '../../core/random.ts';
import type { MessageKind } from '../../core/channel.ts';
import { consecutiveDifferences, derivedMatching } from '../features.ts';
import { DEFAULT_POLICY, type Canary, type Evidence, type MarginRecord } from './check.ts';
import { canaryCheck } from './canary.ts';
import { freshSharesCheck } from './fresh-shares.ts';
import { perSlotMasksCheck } from './per-slot-masks.ts';
import { repeatedBlocksCheck } from './repeated-blocks.ts';
import { circuitPrivacyMarginCheck } from './margin.ts';
import { twoTimePadCheck } from './two-time-pad.ts';
import { uniformModPCheck } from './uniformity.ts';
import type { NamedValues, View } from '../view.ts';

const P = 557057;
const SHARES = /^i\d+\/(slots|share)\//;

function view(derived: NamedValues, messages: { kind: MessageKind; bytes: Uint8Array; label?: string }[] = []): View {
  return {
    party: 'client',
    input: {},
    seed: 'test',
    derived,
    messages: messages.map((m, seq) => ({ seq, sender: 'server', label: m.label ?? 'offline/ot', phase: 'offline', layer: 'ot', kind: m.kind, bytes: m.bytes })),
  };
}

function evidence(fixed: View[], random: View[], extra: { secrets?: Canary[][]; margins?: MarginRecord[] } = {}): Evidence {
  return { observer: 'client', fixed, random, simulated: [], secrets: extra.secrets ?? random.map(() => []), ...(extra.margins ? { margins: extra.margins } : {}) };
}

/** A view whose shares are uniform: two layers of `n` values each. */
function uniformView(seed: string, n = 4096): View {
  const r = seededRandom(seed);
  return view({ 'i0/slots/fc1/0/0': uniformModP(r, n, P), 'i0/share/relu1': uniformModP(r, n, P) });
}

describe('fresh-shares', () => {
  const check = freshSharesCheck('fresh-shares', SHARES, P);
  it('passes fresh uniform shares and reports the birthday bound', () => {
    const r = check.run(evidence([uniformView('a'), uniformView('b')], [uniformView('c'), uniformView('d')]), DEFAULT_POLICY);
    assert.equal(r.verdict, 'pass', r.finding);
    assert.ok(r.margin!.value < 1e-12);
  });
  it('fails when two runs derive the same shares (a fixed seed)', () => {
    const r = check.run(evidence([uniformView('a'), uniformView('a')], [uniformView('c'), uniformView('d')]), DEFAULT_POLICY);
    assert.equal(r.verdict, 'fail');
    assert.match(r.finding, /fixed view 1, i0\/slots\/fc1\/0\/0 at 0 repeats fixed view 0/);
  });
});

describe('per-slot-masks', () => {
  const check = perSlotMasksCheck('per-slot-masks', SHARES, P);
  /** A fixed-secret session of two inferences: each slot holds y − r with fresh r; `unmasked` slots keep y. */
  const session = (seed: string, unmasked: readonly number[] = []) => {
    const r = seededRandom(seed);
    const y = uniformModP(seededRandom('fixed outputs'), 4096, P);
    const derived: Record<string, Uint32Array> = {};
    for (const k of [0, 1]) {
      const share = uniformModP(r, 4096, P);
      for (const s of unmasked) share[s] = y[s]!;
      derived[`i${k}/slots/fc1/0/0`] = share;
    }
    return view(derived);
  };
  it('passes when every slot is masked afresh, and states the chance bound', () => {
    const r = check.run(evidence([session('a'), session('b')], []), DEFAULT_POLICY);
    assert.equal(r.verdict, 'pass', r.finding);
    assert.ok(r.margin!.value > 0 && r.margin!.value < 1e-6);
    assert.match(r.samples, /^4096 slots, each observed 4 times/);
  });
  it('fails when a single slot of thousands is left unmasked (pooled uniformity cannot see it)', () => {
    const fixed = [session('a', [4095]), session('b', [4095])];
    const r = check.run(evidence(fixed, []), DEFAULT_POLICY);
    assert.equal(r.verdict, 'fail');
    assert.equal(r.statistic.value, 1);
    assert.match(r.finding, /slot 4095 of slots\/fc1\/0\/0 holds the same value in 4 of its 4 observations/);
    const pooled = uniformModPCheck('uniform-shares', derivedMatching(SHARES, 'shares'), P).run(evidence(fixed, []), DEFAULT_POLICY);
    assert.equal(pooled.verdict, 'pass');
  });
  it('refuses too few observations to tell a masked slot from an unmasked one', () => {
    const one = view({ 'i0/slots/fc1/0/0': uniformModP(seededRandom('x'), 16, P) });
    assert.throws(() => check.run(evidence([one, one], []), DEFAULT_POLICY), /no slot observed at least 3 times under the fixed secret \(2 observations\)/);
  });
});

describe('independent-shares (consecutive differences uniform mod p)', () => {
  const check = uniformModPCheck('independent-shares', consecutiveDifferences(SHARES, P, 'differences'), P);
  it('passes independent uniform masks', () => {
    const r = check.run(evidence([uniformView('a'), uniformView('b')], [uniformView('c'), uniformView('d')]), DEFAULT_POLICY);
    assert.equal(r.verdict, 'pass', r.finding);
  });
  it('fails a mask reused across layers: the shares then differ by the small difference of the outputs', () => {
    const reused = (seed: string) => {
      const r = seededRandom(seed);
      const mask = uniformModP(r, 4096, P);
      const y1 = uniformModP(r, 4096, 200);
      const y2 = uniformModP(r, 4096, 200);
      return view({ 'i0/slots/fc1/0/0': mask.map((m, i) => (y1[i]! - m + P) % P), 'i0/share/relu1': mask.map((m, i) => (y2[i]! - m + P) % P) });
    };
    const r = check.run(evidence([reused('a'), reused('b')], [reused('c'), reused('d')]), DEFAULT_POLICY);
    assert.equal(r.verdict, 'fail');
    assert.ok(r.pValue! < 1e-100);
  });
});

describe('repeated-blocks', () => {
  const check = repeatedBlocksCheck('repeated-blocks', { kind: 'ot-extension' });
  it('passes pseudorandom messages and fails a 16-byte block sent twice, saying where', () => {
    const r = seededRandom('blocks');
    const clean = view({}, [0, 1].map(() => ({ kind: 'ot-extension' as const, bytes: randomBytesFrom(r, 4096) })));
    assert.equal(check.run(evidence([clean], [clean]), DEFAULT_POLICY).verdict, 'pass');
    const first = randomBytesFrom(r, 4096);
    const second = randomBytesFrom(r, 4096);
    second.set(first.subarray(32, 48), 160);
    const leaky = view({}, [{ kind: 'ot-extension', bytes: first }, { kind: 'ot-extension', bytes: second }, { kind: 'gc-table', bytes: first }]);
    const result = check.run(evidence([clean], [leaky]), DEFAULT_POLICY);
    assert.equal(result.verdict, 'fail');
    assert.equal(result.statistic.value, 1, 'the gc-table message is not selected');
    assert.equal(result.finding, 'view 1: message 1 (offline/ot, ot-extension) offset 160 repeats message 0 (offline/ot, ot-extension) offset 32');
  });
});

describe('two-time-pad', () => {
  const check = twoTimePadCheck('two-time-pad', { kind: 'ot-extension' });
  const columns = 128;
  const rows = 64; // bytes per column
  /** IKNP-like traffic: every column is pad_j ⊕ r; `pads` the column streams of this call. */
  const call = (pads: Uint8Array, choices: Uint8Array) => {
    const u = pads.slice();
    for (let j = 0; j < columns; j++) for (let i = 0; i < rows; i++) u[j * rows + i]! ^= choices[i]!;
    return u;
  };
  it('passes fresh pads in every call', () => {
    const r = seededRandom('fresh');
    const v = view({}, [0, 1, 2].map(() => ({ kind: 'ot-extension' as const, bytes: call(randomBytesFrom(r, columns * rows), randomBytesFrom(r, rows)) })));
    const result = check.run(evidence([v, v], [v, v]), DEFAULT_POLICY);
    assert.equal(result.verdict, 'pass', result.finding);
    assert.match(result.samples, /^8 message pairs/);
  });
  it('fails pads reused across calls: the XOR is r ⊕ r\' in every column', () => {
    const r = seededRandom('reused');
    const pads = randomBytesFrom(r, columns * rows);
    const v = view({}, [0, 1].map(() => ({ kind: 'ot-extension' as const, bytes: call(pads, randomBytesFrom(r, rows)) })));
    const result = check.run(evidence([v, v], [v, v]), DEFAULT_POLICY);
    assert.equal(result.verdict, 'fail');
    assert.match(result.finding, /the XOR of messages 0 and 1 \(offline\/ot, ot-extension\) offset \d+ repeats the XOR of messages 0 and 1/);
  });
});

describe('circuit-privacy-margin', () => {
  const check = circuitPrivacyMarginCheck();
  const margin = (minBits: number): MarginRecord => ({ minBits, requiredBits: 40 + Math.log2(3), ciphertexts: 3 });
  it('passes when every returned ciphertext keeps 40 + log2(R) bits, and fails below', () => {
    const ok = check.run(evidence([], [], { margins: [margin(65), margin(64)] }), DEFAULT_POLICY);
    assert.equal(ok.verdict, 'pass');
    assert.ok(Math.abs(ok.margin!.value - (64 - 40 - Math.log2(3))) < 1e-12);
    const low = check.run(evidence([], [], { margins: [margin(65), margin(41)] }), DEFAULT_POLICY);
    assert.equal(low.verdict, 'fail');
    assert.equal(low.statistic.value, 41);
  });
  it('refuses evidence without margins', () => {
    assert.throws(() => check.run(evidence([], []), DEFAULT_POLICY), /no margins/);
  });
});

describe('canary with long windows for low-entropy secrets', () => {
  const check = canaryCheck();
  const weights = Int32Array.from({ length: 64 }, (_, i) => ((i * 37) % 7) - 3);
  const canary: Canary = { name: 'weights', bytes: new Uint8Array(weights.buffer), window: 64, bits: 16 * Math.log2(7) };
  it('finds a whole window of the weights at any offset', () => {
    const leaked = new Uint8Array(200);
    leaked.set(canary.bytes.subarray(8, 72), 37);
    const r = check.run(evidence([], [view({}, [{ kind: 'ciphertext', bytes: leaked }])], { secrets: [[canary]] }), DEFAULT_POLICY);
    assert.equal(r.verdict, 'fail');
    assert.match(r.finding, /bytes 8\.\.71 of "weights" at offset 37/);
  });
  it('with windows every 4 bytes, still finds any leaked stretch of window + 3 bytes', () => {
    const strided: Canary = { ...canary, stride: 4 };
    const leaked = new Uint8Array(200);
    leaked.set(canary.bytes.subarray(9, 76), 101);
    const r = check.run(evidence([], [view({}, [{ kind: 'ciphertext', bytes: leaked }])], { secrets: [[strided]] }), DEFAULT_POLICY);
    assert.equal(r.verdict, 'fail');
    assert.match(r.finding, /bytes 12\.\.75 of "weights" at offset 104/);
  });

  it('ignores a 16-byte piece (four small weights match structured bytes by chance) and states the bound per window entropy', () => {
    const piece = new Uint8Array(200);
    piece.set(canary.bytes.subarray(0, 16), 50);
    const r = check.run(evidence([], [view({}, [{ kind: 'ciphertext', bytes: piece }])], { secrets: [[canary]] }), DEFAULT_POLICY);
    assert.equal(r.verdict, 'pass');
    assert.ok(Math.abs(r.margin!.value - (200 * (256 - 64 + 1)) / 2 ** (16 * Math.log2(7))) < 1e-20);
  });
});
