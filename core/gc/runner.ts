/**
 * The two-party garbled-circuit run (Yao with free-XOR; the scheme is a `GarblingScheme` plugin).
 * The garbler (server) and the evaluator (client) call `garbleAndSend` / `receiveAndEvaluate` with
 * the same program, instance count and options. Per chunk of instances:
 *
 *   garbler → evaluator   'input-labels'  active labels of the garbler's input bits
 *   correlated OT         the evaluator's input labels: the garbler's zero-labels are the COT
 *                         messages m0 (OT offset = free-XOR Δ), the evaluator receives m0 ⊕ b·Δ;
 *                         extended online, or derandomised from OTs precomputed offline
 *                         (`inputOts: 'precomputed'`, the design's offline phase, §2 step 2)
 *   garbler → evaluator   'gc-table'      tables, streamed level by level in bounded frames
 *   garbler → evaluator   'decode-bits'   permute bits of the output zero-labels
 *
 * preceded once by a 'control' header that lets the evaluator refuse a garbler running another
 * program, scheme, gate numbering or source of input OTs. Only the evaluator learns the outputs.
 */
import type { Channel } from '../channel.ts';
import type { WireVec } from '../circuit/backend.ts';
import type { GarblingScheme } from '../garbling.ts';
import type { OtReceiver, OtSender } from '../ot.ts';
import { packBits, randomBytes, unpackBits } from '../bytes.ts';
import { ProtocolError, SecurityError } from '../errors.ts';
import { xorDelta } from '../ot/ot-from-cot.ts';
import { EvaluatorBackend } from './evaluator-backend.ts';
import { GarblerBackend } from './garbler-backend.ts';
import type { GcGateCounts } from './label-backend.ts';
import type { LabelBackend } from './label-backend.ts';
import { LABEL_BYTES } from './labels.ts';
import type { GcProgram } from './program.ts';
import { DEFAULT_TABLE_FRAME_BYTES, TableSink, TableSource } from './table-stream.ts';

/** Input values of one party: `values[k][i]` is value k of instance i. */
export type GcInputValues = readonly (readonly (number | bigint)[])[];

export interface GcRunOptions {
  readonly scheme: GarblingScheme;
  /** Circuit instances run together (SIMD): every AND level of every instance is one hash batch. */
  readonly instances?: number;
  /** First gate id (hash tweak); continue from the previous run's `nextGateId` when Δ is reused. */
  readonly firstGateId?: number;
  /**
   * Instances per chunk are chosen so that a chunk's labels and tables in memory at once stay near
   * this many bytes (the garbler's choice; the evaluator follows it).
   */
  readonly chunkMemoryBytes?: number;
  /** Largest 'gc-table' frame. */
  readonly frameBytes?: number;
  /**
   * Where the evaluator's input OTs come from: `'extend'` (default) runs OT extension now;
   * `'precomputed'` derandomises correlated OTs both parties precomputed offline
   * (`precompute(n)` on the OT sender and receiver, n ≥ the evaluator's input bits × instances),
   * which leaves 1 bit of traffic and a few XORs per input bit online.
   */
  readonly inputOts?: 'extend' | 'precomputed';
}

export interface GcRunStats extends GcGateCounts {
  readonly instances: number;
  readonly chunks: number;
  readonly tableBytes: number;
  /** Gate id to start the next run on the same Δ from. */
  readonly nextGateId: number;
}

const DEFAULT_CHUNK_MEMORY_BYTES = 32 << 20;
const HEADER_FIELDS = ['version', 'tableBytesPerAnd', 'instances', 'chunkInstances', 'andsPerInstance', 'garblerBits', 'evaluatorBits', 'firstGateId', 'precomputedOts'] as const;
const HEADER_VERSION = 2;
type Header = Record<(typeof HEADER_FIELDS)[number], number>;

function sum(widths: readonly number[]): number {
  return widths.reduce((s, w) => s + w, 0);
}

/** Correlated OTs a run of `instances` instances takes: one per input bit of the evaluator (what to `precompute`). */
export function inputOtCount(program: GcProgram, instances: number): number {
  return sum(program.evaluatorWidths) * instances;
}

function resolve(options: GcRunOptions, program: GcProgram) {
  const instances = options.instances ?? 1;
  const firstGateId = options.firstGateId ?? 0;
  const frameBytes = options.frameBytes ?? DEFAULT_TABLE_FRAME_BYTES;
  if (!Number.isSafeInteger(instances) || instances < 1) throw new RangeError(`instances must be a positive integer, got ${instances}`);
  if (!Number.isSafeInteger(firstGateId) || firstGateId < 0) throw new RangeError(`firstGateId must be a non-negative integer, got ${firstGateId}`);
  if (!Number.isSafeInteger(frameBytes) || frameBytes < 1) throw new RangeError(`frameBytes must be a positive integer, got ${frameBytes}`);
  const inputOts = options.inputOts ?? 'extend';
  if (inputOts !== 'extend' && inputOts !== 'precomputed') throw new RangeError(`inputOts must be 'extend' or 'precomputed', got ${String(inputOts)}`);
  const perInstance = Math.max(1, program.memoryPerInstance(options.scheme.tableBytesPerAnd));
  const chunkInstances = Math.min(instances, Math.max(1, Math.floor((options.chunkMemoryBytes ?? DEFAULT_CHUNK_MEMORY_BYTES) / perInstance)));
  return { instances, firstGateId, frameBytes, chunkInstances, precomputedOts: inputOts === 'precomputed' ? 1 : 0 };
}

function encodeHeader(h: Header): Uint8Array {
  const view = new DataView(new ArrayBuffer(8 * HEADER_FIELDS.length));
  HEADER_FIELDS.forEach((f, i) => view.setBigUint64(8 * i, BigInt(h[f]), true));
  return new Uint8Array(view.buffer);
}

function decodeHeader(bytes: Uint8Array): Header {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const h = {} as Header;
  HEADER_FIELDS.forEach((f, i) => (h[f] = Number(view.getBigUint64(8 * i, true))));
  return h;
}

/** Every input bit of every instance, ordered (value, bit, instance); checks shapes and ranges up front. */
function valueBits(values: GcInputValues, widths: readonly number[], instances: number, who: string): Uint8Array {
  if (values.length !== widths.length) throw new RangeError(`${who}: expected ${widths.length} input values, got ${values.length}`);
  const bits = new Uint8Array(sum(widths) * instances);
  const limbs = new Uint32Array(instances);
  let row = 0;
  for (let k = 0; k < widths.length; k++) {
    const width = widths[k]!;
    const column = values[k]!;
    if (column.length !== instances) throw new RangeError(`${who}: input value ${k} needs one entry per instance (${instances}), got ${column.length}`);
    for (let i = 0; i < instances; i++) {
      const raw = column[i]!;
      if (typeof raw === 'number' && !Number.isSafeInteger(raw)) throw new RangeError(`${who}: input value ${k} of instance ${i} is not an integer: ${raw}`);
      if (raw < 0 || (width < 53 ? raw >= 2 ** width : BigInt(raw) >> BigInt(width) !== 0n)) {
        throw new RangeError(`${who}: input value ${k} of instance ${i} (${raw}) does not fit in ${width} bits`);
      }
    }
    // 32 bits at a time: one limb per instance (number arithmetic; BigInt only for bigint values),
    // then bit rows written in order.
    for (let base = 0; base < width; base += 32) {
      for (let i = 0; i < instances; i++) {
        const raw = column[i]!;
        limbs[i] = typeof raw === 'number' ? Math.floor(raw / 2 ** base) >>> 0 : Number(BigInt.asUintN(32, raw >> BigInt(base)));
      }
      for (let j = base; j < Math.min(width, base + 32); j++) {
        const at = (row + j) * instances;
        for (let i = 0; i < instances; i++) bits[at + i] = (limbs[i]! >>> (j - base)) & 1;
      }
    }
    row += width;
  }
  return bits;
}

/** Output values from bits ordered (value, bit, instance): `outputs[k][i]`, 32 bits at a time. */
function decodeValues(bits: Uint8Array, widths: readonly number[], count: number): bigint[][] {
  const limbs = new Float64Array(count);
  let row = 0;
  return widths.map((width) => {
    const values = new Array<bigint>(count).fill(0n);
    for (let top = width; top > 0; top -= 32) {
      limbs.fill(0);
      for (let j = top - 1; j >= Math.max(0, top - 32); j--) {
        const at = (row + j) * count;
        for (let i = 0; i < count; i++) limbs[i] = limbs[i]! * 2 + bits[at + i]!;
      }
      const shift = BigInt(Math.min(32, top));
      for (let i = 0; i < count; i++) values[i] = (values[i]! << shift) | BigInt(limbs[i]!);
    }
    row += width;
    return values;
  });
}

/** The bits of instances [from, from + count) of `bits` (ordered (row, instance)), in the same order. */
function chunkOf(bits: Uint8Array, instances: number, from: number, count: number): Uint8Array {
  if (count === instances) return bits;
  const rows = bits.length / instances;
  const out = new Uint8Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(bits.subarray(r * instances + from, r * instances + from + count), r * count);
  return out;
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

/** The garbler's side. `ot` must have been set up with the garbler's Δ (least significant bit 1). */
export async function garbleAndSend(channel: Channel, program: GcProgram, inputs: GcInputValues, ot: OtSender, options: GcRunOptions): Promise<GcRunStats> {
  const { instances, firstGateId, frameBytes, chunkInstances, precomputedOts } = resolve(options, program);
  const delta = ot.delta;
  if (delta.length !== LABEL_BYTES || (delta[0]! & 1) !== 1) {
    throw new SecurityError('garbler: the OT sender\'s Δ is the free-XOR offset and must have its least significant bit set; create the sender with randomDelta()');
  }
  const { scheme } = options;
  const garblerBits = sum(program.garblerWidths);
  const evaluatorBits = sum(program.evaluatorWidths);
  const bits = valueBits(inputs, program.garblerWidths, instances, 'garbler');
  await channel.send(
    encodeHeader({ version: HEADER_VERSION, tableBytesPerAnd: scheme.tableBytesPerAnd, instances, chunkInstances, andsPerInstance: program.andsPerInstance, garblerBits, evaluatorBits, firstGateId, precomputedOts }),
    'control',
  );
  const sink = new TableSink();
  const counts: GcGateCounts = { and: 0, xor: 0, not: 0 };
  let nextGateId = firstGateId;
  let chunks = 0;
  for (let from = 0; from < instances; from += chunkInstances, chunks++) {
    const count = Math.min(chunkInstances, instances - from);
    using backend = new GarblerBackend(scheme, delta, count, sink, nextGateId, program.peakWires);
    const zero = randomBytes(garblerBits * count * LABEL_BYTES);
    const active = zero.slice();
    xorDelta(active, delta, packBits(chunkOf(bits, instances, from, count)));
    await channel.send(active, 'input-labels');
    const otCount = evaluatorBits * count;
    const evaluatorZero = otCount === 0 ? new Uint8Array(0) : precomputedOts ? await ot.sendCorrelatedPrecomputed(otCount) : await ot.sendCorrelated(otCount);
    const before = sink.total;
    const steps = program.steps(backend, [...inputWires(backend, zero, program.garblerWidths), ...inputWires(backend, evaluatorZero, program.evaluatorWidths)]);
    let step = steps.next();
    while (!step.done) {
      if (sink.pending >= frameBytes) await sink.drainTo(channel, frameBytes);
      step = steps.next();
    }
    await sink.drainTo(channel, frameBytes);
    if (sink.total - before !== program.andsPerInstance * count * scheme.tableBytesPerAnd) {
      throw new Error(`${program.name}: garbled ${(sink.total - before) / scheme.tableBytesPerAnd / count} AND gates per instance, announced ${program.andsPerInstance} (the program is not data-independent)`);
    }
    await channel.send(packBits(outputBits(backend, step.value)), 'decode-bits');
    nextGateId = backend.nextGateId;
    counts.and += backend.counts.and;
    counts.xor += backend.counts.xor;
    counts.not += backend.counts.not;
  }
  await channel.flush();
  return { ...counts, instances, chunks, tableBytes: sink.total, nextGateId };
}

/** The evaluator's side: returns `outputs[k][i]`, output value k of instance i. */
export async function receiveAndEvaluate(
  channel: Channel,
  program: GcProgram,
  inputs: GcInputValues,
  ot: OtReceiver,
  options: GcRunOptions,
): Promise<{ outputs: bigint[][]; stats: GcRunStats }> {
  const { instances, firstGateId, frameBytes, precomputedOts } = resolve(options, program);
  const { scheme } = options;
  const garblerBits = sum(program.garblerWidths);
  const evaluatorBits = sum(program.evaluatorWidths);
  const bits = valueBits(inputs, program.evaluatorWidths, instances, 'evaluator');
  const header = decodeHeader(await channel.recv(8 * HEADER_FIELDS.length, 'control'));
  const expected: Omit<Header, 'chunkInstances'> = { version: HEADER_VERSION, tableBytesPerAnd: scheme.tableBytesPerAnd, instances, andsPerInstance: program.andsPerInstance, garblerBits, evaluatorBits, firstGateId, precomputedOts };
  for (const [field, value] of Object.entries(expected)) {
    const got = header[field as keyof Header];
    if (got !== value) {
      throw new ProtocolError(`garbled run of ${program.name}: the garbler's ${field} is ${got}, ours is ${value}; both parties must run the same program, scheme, instance count and gate numbering`);
    }
  }
  const chunkInstances = header.chunkInstances;
  if (!Number.isSafeInteger(chunkInstances) || chunkInstances < 1 || chunkInstances > instances) {
    throw new ProtocolError(`garbled run of ${program.name}: the garbler's chunk of ${chunkInstances} instances is not in 1..${instances}`);
  }
  const outputs: bigint[][] = [];
  const counts: GcGateCounts = { and: 0, xor: 0, not: 0 };
  let nextGateId = firstGateId;
  let chunks = 0;
  let tableBytes = 0;
  for (let from = 0; from < instances; from += chunkInstances, chunks++) {
    const count = Math.min(chunkInstances, instances - from);
    const garblerLabels = await channel.recv(garblerBits * count * LABEL_BYTES, 'input-labels');
    const choices = chunkOf(bits, instances, from, count);
    const evaluatorLabels = choices.length === 0 ? new Uint8Array(0) : precomputedOts ? await ot.receiveCorrelatedPrecomputed(choices) : await ot.receiveCorrelated(choices);
    const chunkTables = program.andsPerInstance * count * scheme.tableBytesPerAnd;
    const source = new TableSource(channel, chunkTables, frameBytes);
    using backend = new EvaluatorBackend(scheme, count, source, nextGateId, program.peakWires);
    const steps = program.steps(backend, [...inputWires(backend, garblerLabels, program.garblerWidths), ...inputWires(backend, evaluatorLabels, program.evaluatorWidths)]);
    let step = steps.next();
    while (!step.done) {
      await source.ensure(step.value * count * scheme.tableBytesPerAnd);
      step = steps.next();
    }
    if (!source.finished) throw new Error(`${program.name}: evaluated fewer AND gates than announced (the program is not data-independent)`);
    const permute = outputBits(backend, step.value);
    const packed = await channel.recv((permute.length + 7) >>> 3, 'decode-bits');
    const decode = unpackBits(packed, permute.length);
    if (permute.length % 8 !== 0 && packed[packed.length - 1]! >>> (permute.length % 8) !== 0) {
      throw new ProtocolError('decode bits: padding bits are not zero (the garbler is out of step)');
    }
    for (let n = 0; n < permute.length; n++) permute[n]! ^= decode[n]!;
    decodeValues(permute, step.value.map((v) => v.length), count).forEach((values, k) => (outputs[k] = (outputs[k] ?? []).concat(values)));
    nextGateId = backend.nextGateId;
    counts.and += backend.counts.and;
    counts.xor += backend.counts.xor;
    counts.not += backend.counts.not;
    tableBytes += chunkTables;
  }
  return { outputs, stats: { ...counts, instances, chunks, tableBytes, nextGateId } };
}
