/**
 * Fixed-vs-random experiment on a garbled non-linear layer, observed by the evaluator (the client,
 * who must learn only its output share): `instances` GAZELLE neurons (ReLU on shares, output mask;
 * core/gc/neuron-program.ts). The garbler's secret is its share s' and output mask r'' per neuron;
 * the evaluator's share c' is its fixed input. One OT session per attempt; each run garbles afresh
 * (fresh labels from the garbler's random source; gate ids continue under the session's Δ).
 */
import { neuronServerInputs, type NeuronSpec } from '../../core/circuit/lib/neuron.ts';
import type { GarblingScheme } from '../../core/garbling.ts';
import { randomDelta } from '../../core/gc/labels.ts';
import { neuronProgram } from '../../core/gc/neuron-program.ts';
import { garbleAndSend, receiveAndEvaluate } from '../../core/gc/runner.ts';
import type { OtExtension, OtReceiver, OtSender } from '../../core/ot.ts';
import { seededRandom, uniformModP } from '../../core/random.ts';
import type { Transport } from '../../core/transport.ts';
import { positiveInteger } from '../arguments.ts';
import type { Experiment } from '../evidence.ts';
import { PermuteBitRecorder } from '../observed-scheme.ts';
import { RecordedPair } from '../recorded-session.ts';
import { flatOutputs, simulateEvaluatorView } from '../simulators/garbling.ts';

export interface GarblerSecret {
  /** The garbler's share s' of each neuron's input. */
  readonly shares: Uint32Array;
  /** The garbler's output mask r'' of each neuron. */
  readonly masks: Uint32Array;
}

export interface GarblingExperimentOptions {
  readonly transport: Transport;
  readonly ot: OtExtension;
  readonly scheme: GarblingScheme;
  readonly spec?: NeuronSpec;
  readonly instances?: number;
}

function secretBytes(values: Uint32Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

export function evaluatorExperiment(options: GarblingExperimentOptions): Experiment<GarblerSecret> {
  const spec = options.spec ?? { p: 557057 };
  const instances = positiveInteger(options.instances ?? 8, 'garbling experiment: instances');
  if (instances < 4) throw new RangeError('garbling experiment: at least 4 instances (a 16-byte canary of masks)');
  const program = neuronProgram(spec);
  const fixedSource = seededRandom('garbling-experiment', 'fixed-secret');
  const draw = (source: ReturnType<typeof seededRandom>) => ({ shares: uniformModP(source, instances, spec.p), masks: uniformModP(source, instances, spec.p) });
  return {
    name: `evaluator-view/${options.scheme.name}`,
    observer: 'client',
    fixedSecret: draw(fixedSource),
    randomSecret: draw,
    async open(observerSeed) {
      const pair = await RecordedPair.open(options.transport, 'client');
      const ownShares = Array.from(uniformModP(seededRandom(observerSeed, 'evaluator-shares'), instances, spec.p));
      let sender: OtSender;
      let receiver: OtReceiver;
      try {
        pair.setLabel('setup/relu1');
        const otherSession = seededRandom(`${observerSeed}/other-session`, 'garbler');
        [sender, receiver] = await Promise.all([
          options.ot.sender(pair.other, randomDelta(otherSession), { random: otherSession }),
          options.ot.receiver(pair.observer, { random: seededRandom(observerSeed, 'ot-receiver') }),
        ]);
        pair.setLabel('online/relu1');
      } catch (error) {
        await pair.close();
        throw error;
      }
      let firstGateId = 0;
      return {
        async run(secret, otherSeed) {
          const prepared = Array.from(secret.shares, (s, i) => neuronServerInputs(spec, [s], secret.masks[i]!));
          const garblerInputs = [prepared.map((x) => x.server[0]!), prepared.map((x) => x.mask)];
          const recorder = new PermuteBitRecorder(options.scheme);
          const gateId = firstGateId;
          const { result, view } = await pair.record(
            async () => {
              const [stats, evaluated] = await Promise.all([
                garbleAndSend(pair.other, program, garblerInputs, sender, { scheme: options.scheme, instances, firstGateId: gateId, random: seededRandom(otherSeed, 'garbler-labels') }),
                receiveAndEvaluate(pair.observer, program, [ownShares], receiver, { scheme: recorder, instances, firstGateId: gateId }),
              ]);
              return { next: stats.nextGateId, outputs: evaluated.outputs };
            },
            (r) => ({ input: { shares: Uint32Array.from(ownShares), 'first-gate-id': Uint32Array.of(gateId) }, seed: observerSeed, derived: { outputs: flatOutputs(r.outputs), 'and-permute-bits': recorder.take() } }),
          );
          firstGateId = result.next;
          return { view, canaries: [{ name: "garbler's shares", bytes: secretBytes(secret.shares) }, { name: "garbler's masks", bytes: secretBytes(secret.masks) }] };
        },
        simulate: (view, seed) =>
          simulateEvaluatorView({ transport: options.transport, program, scheme: options.scheme, instances, evaluatorInputs: [ownShares] }, view, seed),
        close: () => pair.close(),
      };
    },
  };
}
