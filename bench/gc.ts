/**
 * Garbled-circuit benchmark. Workload: the Bristol AES-128 circuit over many instances (SIMD: every
 * AND level of every instance is one hash batch), at least one million AND gates in full mode.
 *
 * - `garble` / `evaluate`: each party's CPU time in the real two-party run (`garbleAndSend` /
 *   `receiveAndEvaluate` over in-memory channels, IKNP correlated OT for the evaluator's inputs),
 *   measured per party by `TwoPartyClock`; AND gates per CPU second, best of `repeats` runs.
 *   Outputs are checked against the plaintext backend after the clock stops.
 * - `kernel`: the scheme's pure batch functions alone on 2^20 independent gates (no XORs, no I/O).
 * - `aesBlocksPerSecond`: bulk fixed-key AES in the same run, the yardstick between machines
 *   (half-gates with the TMMO hash needs 8 AES blocks per garbled AND and 4 per evaluated AND).
 */
import { loadBristolFile } from '../core/circuit/bristol.ts';
import { runPlaintext } from '../core/circuit/values.ts';
import { BLOCK_BYTES, randomBytes } from '../core/bytes.ts';
import { fixedKeyAes } from '../core/crypto/aes.ts';
import type { GarblingScheme } from '../core/garbling.ts';
import { randomDelta } from '../core/gc/labels.ts';
import { circuitProgram } from '../core/gc/program.ts';
import { garbleAndSend, receiveAndEvaluate, type GcRunStats } from '../core/gc/runner.ts';
import type { OtReceiver, OtSender } from '../core/ot.ts';
import { ChouOrlandiBaseOt } from '../plugins/chou-orlandi/chou-orlandi.ts';
import { ClassicGarbling } from '../plugins/classic-gc/classic.ts';
import { HalfGates } from '../plugins/half-gates/half-gates.ts';
import { IknpExtension } from '../plugins/iknp/iknp.ts';
import { MemoryTransport } from '../plugins/transport-memory/memory-transport.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';
import { TwoPartyClock } from './two-party-clock.ts';

const AES_CIRCUIT = new URL('../test/vectors/bristol/aes_128.txt', import.meta.url).pathname;

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

function aesBlocksPerSecond(quick: boolean): number {
  const blocks = 1 << 16;
  const buffer = randomBytes(blocks * BLOCK_BYTES);
  const aes = fixedKeyAes();
  const rounds = quick ? 2 : 32;
  return bestRate(blocks * rounds, 5, () => {
    for (let r = 0; r < rounds; r++) aes.encryptBlocks(buffer);
  });
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

async function run({ quick, log }: BenchOptions): Promise<Record<string, unknown>> {
  const instances = quick ? 2 : 160;
  const repeats = quick ? 1 : 3;
  const circuit = loadBristolFile(AES_CIRCUIT);
  const program = circuitProgram(circuit, 1, 'aes_128');
  const keys = Array.from({ length: instances }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n);
  const plaintexts = Array.from({ length: instances }, (_, i) => (BigInt(i) << 64n) | 0x0123456789abcdefn);
  const expected = runPlaintext(circuit, [keys, plaintexts], instances);

  const aesRate = aesBlocksPerSecond(quick);
  log(`fixed-key AES: ${(aesRate / 1e6).toFixed(0)} M blocks/s`);

  const pair = await new MemoryTransport().pair();
  const clock = new TwoPartyClock(pair);
  const ot = new IknpExtension(new ChouOrlandiBaseOt());
  const delta = randomDelta();
  const setup = await clock.run((ch) => ot.sender(ch, delta), (ch) => ot.receiver(ch), 'receiver');
  const sender: OtSender = setup.sender;
  const receiver: OtReceiver = setup.receiver;

  const results: Record<string, unknown> = {};
  let nextGateId = 0;
  for (const scheme of [new HalfGates(), new ClassicGarbling()]) {
    let best: { garbler: number; evaluator: number; stats: GcRunStats; bytes: number } | undefined;
    for (let r = 0; r < repeats; r++) {
      const options = { scheme, instances, firstGateId: nextGateId };
      const measured = await clock.run(
        (ch) => garbleAndSend(ch, program, [keys], sender, options),
        (ch) => receiveAndEvaluate(ch, program, [plaintexts], receiver, options),
        'sender',
      );
      nextGateId = measured.sender.nextGateId;
      const outputs = measured.receiver.outputs[0]!;
      outputs.forEach((ct, i) => {
        if (ct !== expected[0]![i]) throw new Error(`gc bench: ${scheme.name} instance ${i} decrypted wrong; the figures of this run are void`);
      });
      const { sender: g, receiver: e } = measured.parties;
      if (!best || g.seconds + e.seconds < best.garbler + best.evaluator) {
        best = { garbler: g.seconds, evaluator: e.seconds, stats: measured.sender, bytes: g.bytesSent + e.bytesSent };
      }
    }
    const { stats } = best!;
    const figures = {
      garble: { andPerSecond: stats.and / best!.garbler, cpuSeconds: best!.garbler, aesBlocksPerAnd: aesRate / (stats.and / best!.garbler) },
      evaluate: { andPerSecond: stats.and / best!.evaluator, cpuSeconds: best!.evaluator, aesBlocksPerAnd: aesRate / (stats.and / best!.evaluator) },
      bytesPerAnd: stats.tableBytes / stats.and,
      totalBytesPerAnd: best!.bytes / stats.and,
      kernel: kernel(scheme, quick ? 1 << 12 : 1 << 20),
    };
    log(`${scheme.name}: garble ${(figures.garble.andPerSecond / 1e6).toFixed(1)} M AND/s, evaluate ${(figures.evaluate.andPerSecond / 1e6).toFixed(1)} M AND/s, ${figures.bytesPerAnd} B/AND`);
    results[scheme.name] = { ...figures, workload: { circuit: 'aes_128', instances, andGates: stats.and, xorGates: stats.xor, notGates: stats.not } };
  }
  await pair.close();
  const halfGates = results['half-gates'] as { garble: unknown; evaluate: unknown; bytesPerAnd: number; workload: unknown };
  return {
    workload: halfGates.workload,
    aesBlocksPerSecond: aesRate,
    garble: halfGates.garble,
    evaluate: halfGates.evaluate,
    bytesPerAnd: halfGates.bytesPerAnd,
    schemes: results,
    targets: { garbleAndPerSecond: 10e6, evaluateAndPerSecond: 15e6 },
  };
}

export const suite: BenchSuite = {
  name: 'gc',
  summary: 'garbled AES-128 over many instances: garble and evaluate AND gates per CPU second per party, bytes per AND, half-gates vs classic',
  run,
};
