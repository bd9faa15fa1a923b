/**
 * Fixed-vs-random experiment on OT extension, observed by the sender (the garbler, who must learn
 * nothing about the receiver's choice bits). One OT session per attempt (base OTs, Δ from the
 * and the base-OT secrets from the observer's seed); each run is `batches` batches of `perBatch` correlated OTs. The fixed class
 * repeats one choice vector in every batch (a client re-using an input); the random class draws
 * every batch afresh.
 */
import { packBits } from '../../core/bytes.ts';
import type { OtExtension, OtReceiver, OtSender } from '../../core/ot.ts';
import { randomBits, seededRandom, randomBytesFrom } from '../../core/random.ts';
import type { Transport } from '../../core/transport.ts';
import { positiveInteger } from '../arguments.ts';
import type { Experiment } from '../evidence.ts';
import { RecordedPair } from '../recorded-session.ts';
import { simulateOtSenderView } from '../simulators/ot.ts';

export interface OtExperimentOptions {
  readonly transport: Transport;
  readonly ot: OtExtension;
  /** OTs per batch (at least 128: a canary needs 16 bytes of packed choice bits). */
  readonly perBatch?: number;
  readonly batches?: number;
}

export function otSenderExperiment(options: OtExperimentOptions): Experiment<Uint8Array> {
  const perBatch = positiveInteger(options.perBatch ?? 256, 'OT experiment: OTs per batch');
  const batches = positiveInteger(options.batches ?? 2, 'OT experiment: batches');
  if (perBatch < 128) throw new RangeError(`OT experiment: at least 128 OTs per batch, got ${perBatch}`);
  const pattern = randomBits(seededRandom('ot-experiment', 'fixed-choices'), perBatch);
  const fixedSecret = new Uint8Array(perBatch * batches);
  for (let b = 0; b < batches; b++) fixedSecret.set(pattern, b * perBatch);
  return {
    name: `ot-sender-view/${options.ot.name}`,
    observer: 'server',
    fixedSecret,
    randomSecret: (source) => randomBits(source, perBatch * batches),
    async open(observerSeed) {
      const pair = await RecordedPair.open(options.transport, 'server');
      const delta = randomBytesFrom(seededRandom(observerSeed, 'delta'), 16);
      delta[0]! |= 1;
      let sender: OtSender;
      let receiver: OtReceiver;
      try {
        pair.setLabel('setup/ot');
        [sender, receiver] = await Promise.all([
          options.ot.sender(pair.observer, delta, { random: seededRandom(observerSeed, 'ot-sender') }),
          options.ot.receiver(pair.other, { random: seededRandom(`${observerSeed}/other-session`, 'ot-receiver') }),
        ]);
        pair.setLabel('online/ot');
      } catch (error) {
        await pair.close();
        throw error;
      }
      return {
        async run(choices) {
          const { view } = await pair.record(
            async () => {
              const m0: Uint8Array[] = [];
              for (let b = 0; b < batches; b++) {
                const [q] = await Promise.all([sender.sendCorrelated(perBatch), receiver.receiveCorrelated(choices.subarray(b * perBatch, (b + 1) * perBatch))]);
                m0.push(q);
              }
              return m0;
            },
            (m0) => ({ input: { delta }, seed: observerSeed, derived: Object.fromEntries(m0.map((q, b) => [`m0/${b}`, q])) }),
          );
          const canaries = Array.from({ length: batches }, (_, b) => ({ name: `choice bits of batch ${b}`, bytes: packBits(choices.subarray(b * perBatch, (b + 1) * perBatch)) }));
          return { view, canaries };
        },
        simulate: async (view, seed) => simulateOtSenderView(view, seed),
        close: () => pair.close(),
      };
    },
  };
}
