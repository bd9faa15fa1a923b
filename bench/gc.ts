/**
 * Garbled-circuit benchmark, on two workloads of at least a million AND gates each (full mode):
 *
 * - `neuron`: the GAZELLE non-linear layer, 10,000 neurons of ReLU on additive shares mod 557057
 *   (core/gc/neuron-program.ts): one instance per neuron, every AND level of every neuron one hash
 *   batch. The headline figures come from it.
 * - `aes_128`: the Bristol AES-128 circuit over 160 instances (XOR-heavy: 4.4 XOR per AND).
 *
 * `garble` / `evaluate`: each party's CPU time in the real two-party run (`GarblerSession.run` /
 * `EvaluatorSession.run` over in-memory channels: salted scheme, session gate ids; one session per
 * scheme), measured per party by `TwoPartyClock`; AND gates
 * per CPU second, best of 5 runs after 3 untimed warm-up runs (a server garbling layer after
 * layer runs warm: JIT-compiled code, grown heaps, reused label stores; the first runs of a
 * process are up to twice as slow). As in the design (§2, step 2), the evaluator's input OTs are
 * IKNP correlated OTs precomputed before each run (`offlineOtCpuSeconds`, timed on their own) and
 * derandomised inside it (`inputOts: 'precomputed'`); `andPerSecondWithOtExtension` charges the
 * precomputation to the run as well. Outputs are checked against plaintext references after the
 * clock stops. `kernel`: the scheme's pure batch
 * functions alone on 2^20 independent gates. `aesBlocksPerSecond`: bulk fixed-key AES in the same
 * run, the yardstick between machines (half-gates with the TMMO hash needs 8 AES blocks per garbled
 * AND and 4 per evaluated AND, so `aesBlocksPerAnd` shows the overhead beyond AES).
 * Plugins come from the wiring: the configured OT extension, and the `half-gates` and `classic`
 * garbling plugins chosen in the configuration (with any options it gives them), over the
 * in-memory transport the turn-taking clock needs.
 * `afterArrayBufferDetach`: the headline run again, last, once an ArrayBuffer has been detached in
 * this process (see `detachAnArrayBuffer`): what garbling costs next to node-seal in one process.
 */
import { randomInt } from 'node:crypto';
import { loadBristolFile } from '../core/circuit/bristol.ts';
import { neuronReference, neuronServerInputs, type NeuronSpec } from '../core/circuit/lib/neuron.ts';
import { runPlaintext } from '../core/circuit/values.ts';
import { BLOCK_BYTES, randomBytes } from '../core/bytes.ts';
import type { GarblingScheme } from '../core/garbling.ts';
import type { OtExtension } from '../core/ot.ts';
import type { Transport } from '../core/transport.ts';
import { randomDelta } from '../core/gc/labels.ts';
import { neuronProgram } from '../core/gc/neuron-program.ts';
import { circuitProgram, type GcProgram } from '../core/gc/program.ts';
import { inputOtCount, type GcInputValues, type GcRunStats } from '../core/gc/runner.ts';
import { EvaluatorSession, GarblerSession } from '../core/gc/session.ts';
import { choosePlugin } from '../core/config.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';
import { benchConfig, wireBench, withBenchWiring } from './wiring.ts';
import { aesBlocksPerSecond } from './measure.ts';
import { TwoPartyClock } from './two-party-clock.ts';

const AES_CIRCUIT = new URL('../test/vectors/bristol/aes_128.txt', import.meta.url).pathname;
const NEURON: NeuronSpec = { p: 557057 };

interface Workload {
  readonly name: string;
  readonly program: GcProgram;
  readonly instances: number;
  readonly garblerInputs: GcInputValues;
  readonly evaluatorInputs: GcInputValues;
  /** The expected first output value of every instance (a plaintext reference). */
  readonly expected: readonly bigint[];
}

/** Neurons with random shares: the server's prepared inputs, the client's shares, the reference new share. */
function neuronWorkload(instances: number): Workload {
  const { p } = NEURON;
  const neurons = Array.from({ length: instances }, () => ({ c: randomInt(p), s: randomInt(p), r: randomInt(p) }));
  const prepared = neurons.map(({ s, r }) => neuronServerInputs(NEURON, [s], r));
  return {
    name: 'neuron',
    program: neuronProgram(NEURON),
    instances,
    garblerInputs: [prepared.map((x) => x.server[0]!), prepared.map((x) => x.mask)],
    evaluatorInputs: [neurons.map((n) => n.c)],
    expected: neurons.map(({ c, s, r }) => BigInt(neuronReference(NEURON, [c], [s], r))),
  };
}

function aesWorkload(instances: number): Workload {
  const circuit = loadBristolFile(AES_CIRCUIT);
  const keys = Array.from({ length: instances }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n);
  const plaintexts = Array.from({ length: instances }, (_, i) => (BigInt(i) << 64n) | 0x0123456789abcdefn);
  return {
    name: 'aes_128',
    program: circuitProgram(circuit, 1, 'aes_128'),
    instances,
    garblerInputs: [keys],
    evaluatorInputs: [plaintexts],
    expected: runPlaintext(circuit, [keys, plaintexts], instances)[0]!,
  };
}

/**
 * Invalidates V8's process-wide "ArrayBuffer detaching" protector, for good: from then on optimised
 * code checks on every typed-array access whether the buffer was detached. Any detach does it
 * (transferring a buffer, a wasm memory growing); a full inference has node-seal's memory grow.
 */
function detachAnArrayBuffer(): void {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
  if (buffer.byteLength !== 0) throw new Error('gc bench: the ArrayBuffer was not detached');
}

/** Best of several timed windows of `work`, in `units` per wall-clock second. */
function bestRate(units: number, windows: number, work: () => void): number {
  let best = 0;
  for (let w = 0; w < windows; w++) {
    const start = performance.now();
    work();
    best = Math.max(best, units / ((performance.now() - start) / 1000));
  }
  return best;
}

/** The scheme's batch functions alone on `gates` independent AND gates. */
function kernel(scheme: GarblingScheme, gates: number) {
  const a = randomBytes(gates * BLOCK_BYTES);
  const b = randomBytes(gates * BLOCK_BYTES);
  const out = new Uint8Array(gates * BLOCK_BYTES);
  const tables = new Uint8Array(gates * scheme.tableBytesPerAnd);
  const delta = randomDelta();
  return {
    garbleAndPerSecond: bestRate(gates, 3, () => scheme.garbleAnd(a, b, delta, 0, out, tables)),
    evaluateAndPerSecond: bestRate(gates, 3, () => scheme.evaluateAnd(a, b, 0, tables, out)),
  };
}

/** The schemes compared, each chosen in the configuration; the first is the headline. */
const SCHEMES = ['half-gates', 'classic'] as const;

async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const config = choosePlugin(benchConfig(options), 'transport', 'in-memory');
  return withBenchWiring(options, ['transport', 'ot-extension'], config, async (link) => {
    const schemes = [];
    try {
      for (const name of SCHEMES) schemes.push(await wireBench(options, ['garbling'], choosePlugin(config, 'garbling', name)));
      return await measureSchemes(options, link.get('transport'), link.get('ot-extension'), schemes.map((w) => w.get('garbling')));
    } finally {
      for (const wiring of schemes) await wiring.dispose();
    }
  });
}

async function measureSchemes({ quick, log }: BenchOptions, transport: Transport, ot: OtExtension, schemeList: readonly GarblingScheme[]): Promise<Record<string, unknown>> {
  const repeats = quick ? 1 : 5;
  const warmups = quick ? 1 : 3;
  const workloads = [neuronWorkload(quick ? 50 : 10_000), aesWorkload(quick ? 2 : 160)];
  const aesRate = aesBlocksPerSecond(quick ? 0.005 : 0.1);
  log(`fixed-key AES: ${(aesRate / 1e6).toFixed(0)} M blocks/s`);

  const pair = await transport.pair();
  const clock = new TwoPartyClock(pair);
  /** A session per scheme (Δ, salt, gate ids, the configured OT extension), over the one channel pair. */
  const openSessions = async (scheme: GarblingScheme) => {
    const { sender, receiver } = await clock.run((ch) => GarblerSession.open(ch, { scheme, ot }), (ch) => EvaluatorSession.open(ch, { scheme, ot }), 'receiver');
    return { scheme, garbler: sender, evaluator: receiver };
  };

  /** Best of `repeats` runs after `warmups`, each party's AND gates per CPU second and bytes. */
  const measure = async (sessions: Awaited<ReturnType<typeof openSessions>>, workload: Workload) => {
    const { scheme } = sessions;
    let best: { garbler: number; evaluator: number; otSender: number; otReceiver: number; stats: GcRunStats; bytes: number } | undefined;
    const otCount = inputOtCount(workload.program, workload.instances);
    // Runs below 0 warm up: checked but not timed.
    for (let r = -warmups; r < repeats; r++) {
      const offline = await clock.run(() => sessions.garbler.precompute(otCount), () => sessions.evaluator.precompute(otCount), 'receiver');
      const options = { instances: workload.instances, inputOts: 'precomputed' as const };
      const measured = await clock.run(
        () => sessions.garbler.run(workload.program, workload.garblerInputs, options),
        () => sessions.evaluator.run(workload.program, workload.evaluatorInputs, options),
        'sender',
      );
      measured.receiver.outputs[0]!.forEach((value, i) => {
        if (value !== workload.expected[i]) throw new Error(`gc bench: ${scheme.name} ${workload.name} instance ${i} decoded wrong; the figures of this run are void`);
      });
      const { sender: g, receiver: e } = measured.parties;
      if (r < 0) continue;
      if (!best || g.seconds + e.seconds < best.garbler + best.evaluator) {
        const { sender: os, receiver: or } = offline.parties;
        best = { garbler: g.seconds, evaluator: e.seconds, otSender: os.seconds, otReceiver: or.seconds, stats: measured.sender, bytes: g.bytesSent + e.bytesSent + os.bytesSent + or.bytesSent };
      }
    }
    const { stats, garbler, evaluator, otSender, otReceiver, bytes } = best!;
    const rate = (seconds: number, offlineOt: number) => ({
      andPerSecond: stats.and / seconds,
      cpuSeconds: seconds,
      offlineOtCpuSeconds: offlineOt,
      andPerSecondWithOtExtension: stats.and / (seconds + offlineOt),
      aesBlocksPerAnd: (aesRate * seconds) / stats.and,
    });
    log(`${scheme.name} ${workload.name}: garble ${(stats.and / garbler / 1e6).toFixed(1)} M AND/s, evaluate ${(stats.and / evaluator / 1e6).toFixed(1)} M AND/s`);
    return {
      instances: workload.instances,
      andGates: stats.and,
      xorGates: stats.xor,
      notGates: stats.not,
      garble: rate(garbler, otSender),
      evaluate: rate(evaluator, otReceiver),
      bytesPerAnd: stats.tableBytes / stats.and,
      totalBytesPerAnd: bytes / stats.and,
    };
  };
  const schemes: Record<string, Record<string, unknown>> = {};
  const opened = [];
  for (const scheme of schemeList) opened.push(await openSessions(scheme));
  const headlineSessions = opened[0]!;
  for (const sessions of opened) {
    const perWorkload: Record<string, unknown> = {};
    for (const workload of workloads) perWorkload[workload.name] = await measure(sessions, workload);
    schemes[sessions.scheme.name] = { ...perWorkload, kernel: kernel(sessions.garbler.scheme, quick ? 1 << 12 : 1 << 20) };
  }
  // Last, as it cannot be undone in this process: the headline workload again once an ArrayBuffer
  // has been detached, as in a process that also runs node-seal (its wasm memory grows).
  detachAnArrayBuffer();
  const detached = await measure(headlineSessions, workloads[0]!);
  await pair.close();
  const headline = schemes[headlineSessions.scheme.name]!['neuron'] as { garble: unknown; evaluate: unknown; bytesPerAnd: number; andGates: number; instances: number };
  return {
    workload: { name: 'neuron', spec: NEURON, instances: headline.instances, andGates: headline.andGates },
    aesBlocksPerSecond: aesRate,
    garble: headline.garble,
    evaluate: headline.evaluate,
    bytesPerAnd: headline.bytesPerAnd,
    afterArrayBufferDetach: { garble: detached.garble, evaluate: detached.evaluate },
    schemes,
    targets: { garbleAndPerSecond: 10e6, evaluateAndPerSecond: 15e6 },
    plugins: { transport: transport.name, otExtension: ot.name, garbling: schemeList.map((scheme) => scheme.name) },
  };
}

export const suite: BenchSuite = {
  name: 'gc',
  summary: 'garbled ReLU neurons and AES-128 over many instances: garble/evaluate AND gates per CPU second per party, bytes per AND, half-gates vs classic',
  run,
};
