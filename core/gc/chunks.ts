/**
 * The chunk loop of a garbled run, shared by the online run (`runner.ts`) and the offline/online
 * split (`offline.ts`). Instances run in chunks sized by the plan, so memory stays bounded.
 *
 * Garbler, per chunk:
 *   garbler → evaluator   'input-labels'  active labels of the garbler's input bits
 *   (the evaluator's zero-labels: from correlated OT now, or drawn now and transferred later)
 *   garbler → evaluator   'gc-table'      tables, streamed level by level in bounded frames
 *   garbler → evaluator   'decode-bits'   permute bits of the output zero-labels
 *
 * Evaluator, per chunk: its labels and a table reader in, the circuit stepped level by level (the
 * reader filled before each level), the output labels decoded with the decode bits.
 */
import type { Channel } from '../channel.ts';
import type { WireVec } from '../circuit/backend.ts';
import { packBits, unpackBits } from '../bytes.ts';
import { ProtocolError, SecurityError } from '../errors.ts';
import type { GarblingScheme } from '../garbling.ts';
import { xorDelta } from '../ot/ot-from-cot.ts';
import { randomBytesFrom, systemRandom } from '../random.ts';
import { EvaluatorBackend } from './evaluator-backend.ts';
import { GarblerBackend } from './garbler-backend.ts';
import type { GcGateCounts, LabelBackend } from './label-backend.ts';
import { LABEL_BYTES } from './labels.ts';
import type { GcProgram } from './program.ts';
import { chunksOf, type GcGarbleOptions, type RunPlan, sendRunHeader } from './run-plan.ts';
import { TableSink, type TableReader } from './table-stream.ts';
import { chunkOf, decodeValues, type GcInputValues, valueBits } from './value-bits.ts';

export interface GcRunStats extends GcGateCounts {
  readonly instances: number;
  readonly chunks: number;
  readonly tableBytes: number;
  /** One past the last gate id this run used. */
  readonly nextGateId: number;
}

/** Gate counts and tables of a run, chunk after chunk. */
export class RunTally {
  readonly counts: GcGateCounts = { and: 0, xor: 0, not: 0 };
  chunks = 0;
  tableBytes = 0;

  constructor(public nextGateId: number) {}

  add(backend: LabelBackend, tableBytes: number): void {
    this.counts.and += backend.counts.and;
    this.counts.xor += backend.counts.xor;
    this.counts.not += backend.counts.not;
    this.nextGateId = backend.nextGateId;
    this.tableBytes += tableBytes;
    this.chunks++;
  }

  stats(instances: number): GcRunStats {
    return { ...this.counts, instances, chunks: this.chunks, tableBytes: this.tableBytes, nextGateId: this.nextGateId };
  }
}

/** Wires of a party's input values from one flat label batch ordered (value, bit, instance). */
function inputWires(backend: LabelBackend, labels: Uint8Array, widths: readonly number[]): WireVec<number>[] {
  const bytes = backend.bundleWords * 4;
  let next = 0;
  return widths.map((w) => Array.from({ length: w }, () => backend.input(labels.subarray(next * bytes, ++next * bytes))));
}

/** Permute bits of the output wires, ordered (value, bit, instance). */
function outputBits(backend: LabelBackend, outputs: readonly WireVec<number>[]): Uint8Array {
  const count = backend.instances;
  const bits = new Uint8Array(outputs.reduce((s, o) => s + o.length, 0) * count);
  let row = 0;
  for (const value of outputs) for (const wire of value) bits.set(backend.permuteBits(wire), count * row++);
  return bits;
}

/**
 * The garbler's run: the header, then every chunk. `evaluatorZero(count)` supplies the zero-labels
 * of the evaluator's input bits of the next chunk (16 bytes each, ordered (value, bit, instance)).
 */
export async function garbleRun(
  channel: Channel,
  program: GcProgram,
  inputs: GcInputValues,
  delta: Uint8Array,
  options: GcGarbleOptions,
  plan: RunPlan,
  evaluatorZero: (count: number) => Promise<Uint8Array>,
): Promise<GcRunStats> {
  if (delta.length !== LABEL_BYTES || (delta[0]! & 1) !== 1) {
    throw new SecurityError("garbler: the OT sender's Δ is the free-XOR offset and must have its least significant bit set; create the sender with randomDelta()");
  }
  const { scheme } = options;
  const random = options.random ?? systemRandom();
  const { instances, garblerBits, frameBytes } = plan;
  const bits = valueBits(inputs, program.garblerWidths, instances, 'garbler');
  await sendRunHeader(channel, program, scheme, plan);
  const sink = new TableSink();
  const tally = new RunTally(plan.firstGateId);
  for (const [from, count] of chunksOf(instances, plan.chunkInstances)) {
    using backend = new GarblerBackend(scheme, delta, count, sink, tally.nextGateId, program.peakWires);
    const zero = randomBytesFrom(random, garblerBits * count * LABEL_BYTES);
    const active = zero.slice();
    xorDelta(active, delta, packBits(chunkOf(bits, instances, from, count)));
    await channel.send(active, 'input-labels');
    const evaluatorLabels = await evaluatorZero(count);
    const before = sink.total;
    const steps = program.steps(backend, [...inputWires(backend, zero, program.garblerWidths), ...inputWires(backend, evaluatorLabels, program.evaluatorWidths)]);
    let step = steps.next();
    while (!step.done) {
      if (sink.pending >= frameBytes) await sink.drainTo(channel, frameBytes);
      step = steps.next();
    }
    await sink.drainTo(channel, frameBytes);
    const tableBytes = sink.total - before;
    if (tableBytes !== program.andsPerInstance * count * scheme.tableBytesPerAnd) {
      throw new Error(`${program.name}: garbled ${tableBytes / scheme.tableBytesPerAnd / count} AND gates per instance, announced ${program.andsPerInstance} (the program is not data-independent)`);
    }
    await channel.send(packBits(outputBits(backend, checkOutputs(program, step.value))), 'decode-bits');
    tally.add(backend, tableBytes);
  }
  await channel.flush();
  return tally.stats(instances);
}

/** The output wires a program returned, checked against its declared widths. */
function checkOutputs(program: GcProgram, outputs: readonly WireVec<number>[]): readonly WireVec<number>[] {
  const widths = outputs.map((o) => o.length);
  if (widths.length !== program.outputWidths.length || widths.some((w, k) => w !== program.outputWidths[k])) {
    throw new Error(`${program.name}: returned outputs of widths [${widths}], declared [${program.outputWidths}]`);
  }
  return outputs;
}

/** The evaluated output permute bits of one chunk, before decoding. */
export interface EvaluatedChunk {
  readonly permute: Uint8Array;
  readonly widths: readonly number[];
  readonly count: number;
}

/**
 * Evaluate one chunk of `count` instances from its input labels, taking tables from `tables`
 * (filled before each level). Adds the chunk to `tally`.
 */
export async function evaluateChunk(
  program: GcProgram,
  scheme: GarblingScheme,
  count: number,
  garblerLabels: Uint8Array,
  evaluatorLabels: Uint8Array,
  tables: TableReader,
  tally: RunTally,
): Promise<EvaluatedChunk> {
  using backend = new EvaluatorBackend(scheme, count, tables, tally.nextGateId, program.peakWires);
  const steps = program.steps(backend, [...inputWires(backend, garblerLabels, program.garblerWidths), ...inputWires(backend, evaluatorLabels, program.evaluatorWidths)]);
  let step = steps.next();
  while (!step.done) {
    await tables.ensure(step.value * count * scheme.tableBytesPerAnd);
    step = steps.next();
  }
  if (!tables.finished) throw new Error(`${program.name}: evaluated fewer AND gates than announced (the program is not data-independent)`);
  tally.add(backend, program.andsPerInstance * count * scheme.tableBytesPerAnd);
  return { permute: outputBits(backend, checkOutputs(program, step.value)), widths: program.outputWidths, count };
}

/** Output values `[k][i]` of an evaluated chunk, with the garbler's packed decode bits. */
export function decodeChunk(chunk: EvaluatedChunk, packed: Uint8Array): bigint[][] {
  const { permute } = chunk;
  if (packed.length !== (permute.length + 7) >>> 3) throw new ProtocolError(`decode bits: ${packed.length} bytes for ${permute.length} output bits`);
  if (permute.length % 8 !== 0 && packed[packed.length - 1]! >>> (permute.length % 8) !== 0) {
    throw new ProtocolError('decode bits: padding bits are not zero (the garbler is out of step)');
  }
  const decode = unpackBits(packed, permute.length);
  const bits = permute.slice();
  for (let n = 0; n < bits.length; n++) bits[n]! ^= decode[n]!;
  return decodeValues(bits, chunk.widths, chunk.count);
}

/** Append a chunk's output values to the run's: `outputs[k]` grows by the chunk's instances. */
export function appendOutputs(outputs: bigint[][], values: bigint[][]): void {
  values.forEach((column, k) => (outputs[k] = (outputs[k] ?? []).concat(column)));
}
