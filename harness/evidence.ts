/**
 * Collecting the evidence of a fixed-vs-random assessment (TVLA / ISO 17825, dudect; design §10):
 * one session per attempt, in which the observer's input and randomness are fixed (seeded); then
 * `perClass` runs with the other party's secret fixed and `perClass` with a fresh random secret,
 * the two classes interleaved in a random order (so that drift in the machine or the session
 * affects both alike), the other party's randomness fresh every run. A simulator, where given,
 * produces a simulated view from each random run's observer input and output.
 */
import type { Party } from '../core/channel.ts';
import { seededRandom, type RandomSource } from '../core/random.ts';
import { positiveInteger } from './arguments.ts';
import type { Canary, Evidence, MarginRecord } from './checks/check.ts';
import type { View } from './view.ts';

export interface RunOutcome {
  /** The observer's view of this run. */
  readonly view: View;
  /** The other party's secrets in this run, for the canary check. */
  readonly canaries: readonly Canary[];
  /** The circuit-privacy margin of the ciphertexts the server returned in this run (whole inferences). */
  readonly margin?: MarginRecord;
}

/** One session of an experiment: set up once, then run once per view. */
export interface ExperimentSession<S> {
  /** Run the protocol once with the other party's secret `secret` and its randomness seeded by `otherSeed`. */
  run(secret: S, otherSeed: string): Promise<RunOutcome>;
  /** A simulated view from the observer's input and output in `view` only (absent: no simulator). */
  simulate?(view: View, seed: string): Promise<View>;
  close(): Promise<void>;
}

export interface Experiment<S> {
  readonly name: string;
  readonly observer: Party;
  /** The fixed secret of the other party (TVLA's fixed class). */
  readonly fixedSecret: S;
  randomSecret(source: RandomSource): S;
  /** A session whose observer input and randomness come from `observerSeed`. */
  open(observerSeed: string): Promise<ExperimentSession<S>>;
}

/** `perClass` of each class, in a random order drawn from `source` (Fisher–Yates). */
export function interleavedClasses(perClass: number, source: RandomSource): ('fixed' | 'random')[] {
  const order: ('fixed' | 'random')[] = [...Array<'fixed'>(perClass).fill('fixed'), ...Array<'random'>(perClass).fill('random')];
  const words = new Uint32Array(source.fill(new Uint8Array(4 * order.length)).buffer);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor((words[i]! / 2 ** 32) * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Evidence for attempt `attempt` of `experiment` (attempts draw independent seeds from `seed`). */
export async function collectEvidence<S>(experiment: Experiment<S>, options: { perClass: number; seed: string; attempt?: number }): Promise<Evidence> {
  positiveInteger(options.perClass, `${experiment.name}: runs per class`);
  const base = `${options.seed}/${experiment.name}/attempt-${options.attempt ?? 0}`;
  const order = interleavedClasses(options.perClass, seededRandom(base, 'class-order'));
  const secrets = seededRandom(base, 'random-secrets');
  const session = await experiment.open(`${base}/observer`);
  const fixed: View[] = [];
  const random: View[] = [];
  const simulated: View[] = [];
  const canaries: (readonly Canary[])[] = [];
  const margins: MarginRecord[] = [];
  try {
    const simulateAt: number[] = [];
    for (const [run, cls] of order.entries()) {
      const secret = cls === 'fixed' ? experiment.fixedSecret : experiment.randomSecret(secrets);
      const outcome = await session.run(secret, `${base}/other/${run}`);
      if (outcome.margin) margins.push(outcome.margin);
      if (cls === 'fixed') fixed.push(outcome.view);
      else {
        random.push(outcome.view);
        canaries.push(outcome.canaries);
        simulateAt.push(run);
      }
    }
    // Simulated after every real run: a simulator may load libraries (node-seal) that slow the real runs down.
    if (session.simulate) for (const [i, run] of simulateAt.entries()) simulated.push(await session.simulate(random[i]!, `${base}/simulator/${run}`));
  } finally {
    await session.close();
  }
  return { observer: experiment.observer, fixed, random, simulated, secrets: canaries, ...(margins.length ? { margins } : {}) };
}
