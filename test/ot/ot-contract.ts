/**
 * The contract every `OtExtension` must meet, as node:test tests, checked against a byte-by-byte
 * reference written here: over random lengths (including 0, 1 and non-multiples of 128) the COT
 * pairs differ by exactly Δ where the choice is 1, the receiver of random/chosen OT gets exactly
 * m_b, precomputed OTs consumed online obey the same contracts (the precomputed label transfer
 * too, whose receiver's view must not span Δ), a peer that is out of step (other count, other
 * operation, other session, other salt) is a `ProtocolError` that ends the session, and seeded
 * random sources make a session reproducible byte for byte.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomBytes } from '../../core/bytes.ts';
import { RecordingChannel, type Transcript } from '../../core/channel/recording.ts';
import type { ChannelPair } from '../../core/transport.ts';
import { ProtocolError, TransportError } from '../../core/errors.ts';
import type { OtExtension, OtPartyOptions, OtReceiver, OtSender } from '../../core/ot.ts';
import { otTraffic } from '../../core/ot/ot-from-cot.ts';
import { seededRandom, systemRandom } from '../../core/random.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { blockToBigInt, Span } from '../support/gf2-span.ts';

export interface OtSession {
  readonly sender: OtSender;
  readonly receiver: OtReceiver;
  readonly delta: Uint8Array;
  readonly pair: ChannelPair;
}

export async function otSession(
  extension: OtExtension,
  pair?: ChannelPair,
  options: { sender?: OtPartyOptions; receiver?: OtPartyOptions } = {},
): Promise<OtSession> {
  pair ??= await new MemoryTransport().pair();
  const delta = (options.sender?.random ?? systemRandom()).fill(new Uint8Array(16));
  delta[0]! |= 1;
  const [sender, receiver] = await Promise.all([extension.sender(pair.server, delta, options.sender), extension.receiver(pair.client, options.receiver)]);
  return { sender, receiver, delta, pair };
}

/** A pair whose ends record their transcripts. */
async function recordedPair(): Promise<{ pair: ChannelPair; server: RecordingChannel; client: RecordingChannel }> {
  const inner = await new MemoryTransport().pair();
  const server = new RecordingChannel(inner.server, 'server');
  const client = new RecordingChannel(inner.client, 'client');
  return { pair: { server, client, close: () => inner.close() }, server, client };
}

/** Every message of a transcript as (direction, kind, hex), to compare transcripts byte for byte. */
function transcriptBytes(t: Transcript): string[] {
  return t.messages.map((m) => `${m.direction} ${m.kind} ${Buffer.from(m.bytes).toString('hex')}`);
}

/** Free-XOR zero-labels: random 16-byte blocks. */
function zeroLabels(n: number): Uint8Array {
  return randomBytes(16 * n);
}

/** Reference check: out_i = x0_i ⊕ b_i·Δ byte by byte. */
export function assertLabels(out: Uint8Array, x0: Uint8Array, choices: Uint8Array, delta: Uint8Array): void {
  assertCorrelated(x0, out, choices, delta);
}

/**
 * An insecure sender for the privacy check below: a correct transfer, followed by the zero-labels
 * themselves "for debugging". The receiver never reads them, but they are in its view.
 */
function leakingZeroLabels(sender: OtSender, channel: ChannelPair['server']): Pick<OtSender, 'sendLabelsPrecomputed'> {
  return {
    async sendLabelsPrecomputed(x0) {
      await sender.sendLabelsPrecomputed(x0);
      await channel.send(x0.slice(), 'ot-extension');
    },
  };
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

    it('precomputed OTs, consumed online across precompute batches, keep the COT, chosen and label-transfer contracts', async () => {
      const s = await otSession(makeExtension());
      const plan = fc.array(
        fc.tuple(fc.integer({ min: 0, max: 400 }), fc.constantFrom('labels', 'correlated', 'chosen')).chain(([n, kind]) => fc.tuple(choiceBits(n), blocks(n), blocks(n), fc.constant(kind))),
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
          for (const [choices, m0, m1, kind] of calls) {
            if (kind === 'labels') {
              // Labels fixed before the choices (a circuit garbled offline); they reach the sender only as d = b ⊕ c.
              const [, out] = await Promise.all([s.sender.sendLabelsPrecomputed(m0), s.receiver.receiveLabelsPrecomputed(choices)]);
              assertLabels(out, m0, choices, s.delta);
            } else if (kind === 'chosen') {
              const [, out] = await Promise.all([s.sender.sendChosenPrecomputed(m0, m1), s.receiver.receiveChosenPrecomputed(choices)]);
              assertChosen(out, m0, m1, choices);
            } else {
              const [q, t] = await Promise.all([s.sender.sendCorrelatedPrecomputed(choices.length), s.receiver.receiveCorrelatedPrecomputed(choices)]);
              assertCorrelated(q, t, choices, s.delta);
            }
          }
          assert.equal(s.sender.precomputed, 0);
          assert.equal(s.receiver.precomputed, 0);
        }),
        { numRuns: 10 },
      );
      await s.pair.close();
    });

    it('precomputed label transfer costs 1 bit up and 16 bytes down per OT, plus the call header each way; precompute what otTraffic predicts', async () => {
      const { pair, server } = await recordedPair();
      const extension = makeExtension();
      const s = await otSession(extension, pair);
      for (const n of [1, 8, 9, 1000, 40_000]) {
        const start = server.transcript().messages.length;
        await Promise.all([s.sender.precompute(n), s.receiver.precompute(n)]);
        const precompute = server.transcript().messages.slice(start);
        const sum = (messages: typeof precompute, direction: string) => messages.filter((m) => m.direction === direction).reduce((total, m) => total + m.bytes.length, 0);
        assert.deepEqual({ receiverToSender: sum(precompute, 'received'), senderToReceiver: sum(precompute, 'sent') }, otTraffic.precompute(extension, n), `precompute(${n})`);
        const before = server.transcript().messages.length;
        const choices = randomBytes(n).map((b) => b & 1);
        await Promise.all([s.sender.sendLabelsPrecomputed(zeroLabels(n)), s.receiver.receiveLabelsPrecomputed(choices)]);
        const call = server.transcript().messages.slice(before);
        const bytes = (direction: string) => call.filter((m) => m.direction === direction).reduce((sum, m) => sum + m.bytes.length, 0);
        assert.equal(bytes('received'), 16 + Math.ceil(n / 8), `${n} OTs: bytes up`);
        assert.equal(bytes('sent'), 16 + 16 * n, `${n} OTs: bytes down`);
        assert.deepEqual({ receiverToSender: bytes('received'), senderToReceiver: bytes('sent') }, otTraffic.labelTransfer(n));
      }
      await pair.close();
    });

    it("precomputed label transfer: the receiver's view of the call (every byte it got, its outputs) does not span Δ; a sender leaking the zero-labels is caught", async () => {
      // 40 OTs: the view spans at most 2·40 + 1 of 128 dimensions, so a random Δ falls into it
      // by chance with probability below 2^-47. The choices include a 1, so leaked zero-labels
      // put Δ = x0 ⊕ (x0 ⊕ Δ) into the span.
      const n = 40;
      const view = async (leak: boolean) => {
        const { pair, server } = await recordedPair();
        const s = await otSession(makeExtension(), pair);
        await Promise.all([s.sender.precompute(n), s.receiver.precompute(n)]);
        const choices = randomBytes(n).map((b) => b & 1);
        choices[0] = 1;
        const sender = leak ? leakingZeroLabels(s.sender, pair.server) : s.sender;
        const before = server.transcript().messages.length;
        const x0 = zeroLabels(n);
        const [, out] = await Promise.all([sender.sendLabelsPrecomputed(x0), s.receiver.receiveLabelsPrecomputed(choices)]);
        assertLabels(out, x0, choices, s.delta);
        const span = new Span();
        for (const m of server.transcript().messages.slice(before)) {
          if (m.direction === 'sent') span.addBlocks(m.bytes);
        }
        span.addBlocks(out);
        await pair.close();
        return { span, delta: s.delta };
      };
      const honest = await view(false);
      assert.ok(honest.span.dimension <= 2 * n + 1);
      assert.equal(honest.span.inSpan(blockToBigInt(honest.delta)), false, 'the receiver can derive Δ, hence the other labels');
      const leaky = await view(true);
      assert.equal(leaky.span.inSpan(blockToBigInt(leaky.delta)), true, 'the check missed leaked zero-labels');
    });

    it('precomputed label transfer: malformed labels and too few precomputed OTs are refused before anything is sent', async () => {
      const s = await otSession(makeExtension());
      assert.throws(() => s.sender.sendLabelsPrecomputed(new Uint8Array(15)), RangeError);
      assert.throws(() => s.sender.sendLabelsPrecomputed(new Uint8Array(16)), /precompute\(\)/);
      assert.throws(() => s.receiver.receiveLabelsPrecomputed(Uint8Array.of(1)), /precompute\(\)/);
      await Promise.all([s.sender.precompute(2), s.receiver.precompute(2)]);
      assert.throws(() => s.receiver.receiveLabelsPrecomputed(Uint8Array.of(1, 3)), TypeError);
      const x0 = zeroLabels(2);
      const [, out] = await Promise.all([s.sender.sendLabelsPrecomputed(x0), s.receiver.receiveLabelsPrecomputed(Uint8Array.of(0, 1))]);
      assertLabels(out, x0, Uint8Array.of(0, 1), s.delta);
      await s.pair.close();
    });

    it('seeded random sources on both sides make a session reproducible byte for byte; system randomness does not', async () => {
      const run = async (seeded: boolean) => {
        const { pair, server, client } = await recordedPair();
        const random = (party: string) => (seeded ? seededRandom('ot-contract', party) : systemRandom());
        const s = await otSession(makeExtension(), pair, { sender: { random: random('server') }, receiver: { random: random('client') } });
        await Promise.all([s.sender.precompute(300), s.receiver.precompute(300)]);
        const choices = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 3 & 1);
        const x0 = new Uint8Array(16 * 300).map((_, i) => i * 31);
        await Promise.all([s.sender.sendLabelsPrecomputed(x0), s.receiver.receiveLabelsPrecomputed(choices)]);
        await pair.close();
        return [...transcriptBytes(server.transcript()), ...transcriptBytes(client.transcript())];
      };
      const [a, b] = [await run(true), await run(true)];
      assert.ok(a.length > 4);
      assert.deepEqual(a, b);
      assert.notDeepEqual(await run(false), await run(false));
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

    it('desynchronised peers are detected: a label transfer against a correlated OT, and another salt', async () => {
      const a = await otSession(makeExtension());
      await Promise.all([a.sender.precompute(8), a.receiver.precompute(8)]);
      void a.receiver.receiveCorrelatedPrecomputed(new Uint8Array(8)).catch(() => undefined);
      await assertDesyncDetected(a.sender.sendLabelsPrecomputed(zeroLabels(8)), () => a.sender.sendCorrelated(1), a.pair);

      const b = await otSession(makeExtension(), undefined, { sender: { salt: 5n }, receiver: { salt: 6n } });
      void b.receiver.receiveCorrelated(new Uint8Array(8)).catch(() => undefined);
      await assertDesyncDetected(b.sender.sendCorrelated(8), () => b.sender.sendCorrelated(1), b.pair);
    });

    it('with one salt on both sides random, chosen and precomputed OTs keep their contracts', async () => {
      const salt = 2n ** 63n + 11n;
      const s = await otSession(makeExtension(), undefined, { sender: { salt }, receiver: { salt } });
      const choices = randomBytes(100).map((b) => b & 1);
      const [{ m0, m1 }, out] = await Promise.all([s.sender.sendRandom(100), s.receiver.receiveRandom(choices)]);
      assertChosen(out, m0, m1, choices);
      const [, chosen] = await Promise.all([s.sender.sendChosen(m1, m0), s.receiver.receiveChosen(choices)]);
      assertChosen(chosen, m1, m0, choices);
      await Promise.all([s.sender.precompute(100), s.receiver.precompute(100)]);
      const [, labels] = await Promise.all([s.sender.sendLabelsPrecomputed(m0), s.receiver.receiveLabelsPrecomputed(choices)]);
      assertLabels(labels, m0, choices, s.delta);
      await s.pair.close();
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
