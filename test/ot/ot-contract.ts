/**
 * The contract every `OtExtension` must meet, as node:test tests, checked against a byte-by-byte
 * reference written here: over random lengths (including 0, 1 and non-multiples of 128) the COT
 * pairs differ by exactly Δ where the choice is 1, the receiver of random/chosen OT gets exactly
 * m_b, precomputed OTs consumed online obey the same contracts, and a peer that is out of step
 * (other count, other operation, other session) is a `ProtocolError` that ends the session.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomBytes } from '../../core/bytes.ts';
import type { ChannelPair } from '../../core/transport.ts';
import { ProtocolError, TransportError } from '../../core/errors.ts';
import type { OtExtension, OtReceiver, OtSender } from '../../core/ot.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';

export interface OtSession {
  readonly sender: OtSender;
  readonly receiver: OtReceiver;
  readonly delta: Uint8Array;
  readonly pair: ChannelPair;
}

export async function otSession(extension: OtExtension, pair?: ChannelPair): Promise<OtSession> {
  pair ??= await new MemoryTransport().pair();
  const delta = randomBytes(16);
  delta[0]! |= 1;
  const [sender, receiver] = await Promise.all([extension.sender(pair.server, delta), extension.receiver(pair.client)]);
  return { sender, receiver, delta, pair };
}

/** Lengths around the 128-bit block and 32-bit word boundaries, and random ones. */
export const otLength = fc.oneof(fc.constantFrom(0, 1, 31, 32, 33, 127, 128, 129, 255, 257), fc.integer({ min: 0, max: 3000 }));
export const choiceBits = (n: number) => fc.uint8Array({ minLength: n, maxLength: n, max: 1 });
const blocks = (n: number) => fc.uint8Array({ minLength: 16 * n, maxLength: 16 * n });

/** Reference check: t_i = q_i ⊕ b_i·Δ byte by byte. */
export function assertCorrelated(q: Uint8Array, t: Uint8Array, choices: Uint8Array, delta: Uint8Array): void {
  assert.equal(q.length, 16 * choices.length, 'sender output length');
  assert.equal(t.length, 16 * choices.length, 'receiver output length');
  for (let i = 0; i < choices.length; i++) {
    for (let k = 0; k < 16; k++) {
      const expected = q[16 * i + k]! ^ (choices[i] ? delta[k]! : 0);
      if (t[16 * i + k] !== expected) assert.fail(`OT ${i} byte ${k}: receiver has ${t[16 * i + k]}, expected ${expected} (choice ${choices[i]})`);
    }
  }
}

/** Reference check: out_i = (b_i ? m1 : m0)_i and (for random OT) m0_i ≠ m1_i. */
export function assertChosen(out: Uint8Array, m0: Uint8Array, m1: Uint8Array, choices: Uint8Array): void {
  assert.equal(out.length, 16 * choices.length, 'receiver output length');
  for (let i = 0; i < choices.length; i++) {
    const want = (choices[i] ? m1 : m0).subarray(16 * i, 16 * i + 16);
    assert.deepEqual(out.subarray(16 * i, 16 * i + 16), want, `OT ${i} (choice ${choices[i]})`);
  }
}

/** The call fails with a desynchronisation `ProtocolError`; afterwards the same object refuses every call. */
async function assertDesyncDetected(failing: Promise<unknown>, laterCall: () => Promise<unknown>, pair: ChannelPair): Promise<void> {
  await assert.rejects(failing, (e: unknown) => e instanceof ProtocolError && /desynchronised/.test((e as Error).message));
  await assert.rejects(laterCall(), (e: unknown) => e instanceof ProtocolError && /earlier call/.test((e as Error).message));
  await pair.close();
}

export function otExtensionContract(name: string, makeExtension: () => OtExtension): void {
  describe(`${name}: OT extension contract`, () => {
    const runs = { numRuns: 25 };

    it('correlated OT: t = m0 ⊕ b·Δ for every length, call after call on one session', async () => {
      const s = await otSession(makeExtension());
      assert.deepEqual(s.sender.delta, s.delta);
      await fc.assert(
        fc.asyncProperty(otLength.chain(choiceBits), async (choices) => {
          const [q, t] = await Promise.all([s.sender.sendCorrelated(choices.length), s.receiver.receiveCorrelated(choices)]);
          assertCorrelated(q, t, choices, s.delta);
        }),
        runs,
      );
      await s.pair.close();
    });

    it('correlated OT: a batch spanning several extension chunks (2^16 + 33 OTs)', async () => {
      const s = await otSession(makeExtension());
      const choices = randomBytes(65536 + 33).map((b) => b & 1);
      const [q, t] = await Promise.all([s.sender.sendCorrelated(choices.length), s.receiver.receiveCorrelated(choices)]);
      assertCorrelated(q, t, choices, s.delta);
      const [q2] = await Promise.all([s.sender.sendCorrelated(choices.length), s.receiver.receiveCorrelated(choices)]);
      assert.notDeepEqual(q2.subarray(0, 16), q.subarray(0, 16), 'a second batch gives fresh OTs');
      await s.pair.close();
    });

    it('random OT: the receiver gets m_b, and m0 ≠ m1', async () => {
      const s = await otSession(makeExtension());
      await fc.assert(
        fc.asyncProperty(otLength.chain(choiceBits), async (choices) => {
          const [{ m0, m1 }, out] = await Promise.all([s.sender.sendRandom(choices.length), s.receiver.receiveRandom(choices)]);
          assertChosen(out, m0, m1, choices);
          for (let i = 0; i < choices.length; i++) {
            assert.notDeepEqual(m0.subarray(16 * i, 16 * i + 16), m1.subarray(16 * i, 16 * i + 16), `pair ${i} is not random`);
          }
        }),
        runs,
      );
      await s.pair.close();
    });

    it('chosen-message OT: the receiver gets exactly the chosen message', async () => {
      const s = await otSession(makeExtension());
      const case_ = otLength.chain((n) => fc.tuple(choiceBits(n), blocks(n), blocks(n)));
      await fc.assert(
        fc.asyncProperty(case_, async ([choices, m0, m1]) => {
          const [, out] = await Promise.all([s.sender.sendChosen(m0, m1), s.receiver.receiveChosen(choices)]);
          assertChosen(out, m0, m1, choices);
        }),
        runs,
      );
      await s.pair.close();
    });

    it('precomputed OTs, consumed online across precompute batches, keep the COT and chosen contracts', async () => {
      const s = await otSession(makeExtension());
      const plan = fc.array(
        fc.tuple(fc.integer({ min: 0, max: 400 }), fc.boolean()).chain(([n, chosen]) => fc.tuple(choiceBits(n), blocks(n), blocks(n), fc.constant(chosen))),
        { minLength: 1, maxLength: 6 },
      );
      await fc.assert(
        fc.asyncProperty(plan, fc.integer({ min: 1, max: 3 }), async (calls, batches) => {
          const total = calls.reduce((sum, [c]) => sum + c.length, 0);
          for (let k = 0; k < batches; k++) {
            const n = k === batches - 1 ? total - Math.floor(total / batches) * (batches - 1) : Math.floor(total / batches);
            await Promise.all([s.sender.precompute(n), s.receiver.precompute(n)]);
          }
          assert.equal(s.sender.precomputed, total);
          assert.equal(s.receiver.precomputed, total);
          for (const [choices, m0, m1, chosen] of calls) {
            if (chosen) {
              const [, out] = await Promise.all([s.sender.sendChosenPrecomputed(m0, m1), s.receiver.receiveChosenPrecomputed(choices)]);
              assertChosen(out, m0, m1, choices);
            } else {
              const [q, t] = await Promise.all([s.sender.sendCorrelatedPrecomputed(choices.length), s.receiver.receiveCorrelatedPrecomputed(choices)]);
              assertCorrelated(q, t, choices, s.delta);
            }
          }
          assert.equal(s.sender.precomputed, 0);
        }),
        { numRuns: 10 },
      );
      await s.pair.close();
    });

    it('overlapping calls on one object run in call order', async () => {
      const s = await otSession(makeExtension());
      const a = randomBytes(50).map((b) => b & 1);
      const b = randomBytes(70).map((b) => b & 1);
      const senders = [s.sender.sendCorrelated(50), s.sender.sendCorrelated(70)];
      const receivers = [s.receiver.receiveCorrelated(a), s.receiver.receiveCorrelated(b)];
      const [q1, q2, t1, t2] = await Promise.all([...senders, ...receivers]);
      assertCorrelated(q1!, t1!, a, s.delta);
      assertCorrelated(q2!, t2!, b, s.delta);
      await s.pair.close();
    });

    it('using precomputed OTs that were never precomputed is a RangeError and consumes nothing', async () => {
      const s = await otSession(makeExtension());
      assert.throws(() => s.sender.sendCorrelatedPrecomputed(1), RangeError);
      assert.throws(() => s.receiver.receiveChosenPrecomputed(new Uint8Array(1)), RangeError);
      assert.throws(() => s.receiver.receiveCorrelated(Uint8Array.of(0, 2)), TypeError);
      assert.throws(() => s.sender.sendChosen(new Uint8Array(16), new Uint8Array(32)), RangeError);
      const choices = Uint8Array.of(1, 0, 1);
      const [q, t] = await Promise.all([s.sender.sendCorrelated(3), s.receiver.receiveCorrelated(choices)]);
      assertCorrelated(q, t, choices, s.delta);
      await s.pair.close();
    });

    it('desynchronised peers are detected: another count', async () => {
      await fc.assert(
        fc.asyncProperty(otLength, fc.integer({ min: 1, max: 300 }), async (n, shift) => {
          const s = await otSession(makeExtension());
          const choices = new Uint8Array(n + shift);
          const failing = s.sender.sendCorrelated(n);
          void s.receiver.receiveCorrelated(choices).catch(() => undefined);
          await assertDesyncDetected(failing, () => s.sender.sendCorrelated(1), s.pair);
        }),
        { numRuns: 5 },
      );
    });

    it('desynchronised peers are detected: another kind of OT, either way round', async () => {
      const a = await otSession(makeExtension());
      const waiting = a.receiver.receiveChosen(new Uint8Array(8));
      await assertDesyncDetected(a.sender.sendCorrelated(8), () => a.sender.sendRandom(8), a.pair);
      await assert.rejects(waiting, TransportError, 'the receiver waiting for the reply sees the channel close');

      const b = await otSession(makeExtension());
      void b.receiver.receiveCorrelated(new Uint8Array(8)).catch(() => undefined);
      await assertDesyncDetected(b.sender.sendChosen(new Uint8Array(128), new Uint8Array(128)), () => b.sender.precompute(8), b.pair);
    });

    it('desynchronised peers are detected: a receiver of another session on the same channel', async () => {
      const extension = makeExtension();
      const first = await otSession(extension);
      const second = await otSession(extension, first.pair);
      const choices = new Uint8Array(16);
      void second.receiver.receiveCorrelated(choices).catch(() => undefined);
      await assertDesyncDetected(first.sender.sendCorrelated(16), () => first.sender.sendCorrelated(1), first.pair);
    });
  });
}
