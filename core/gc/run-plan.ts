/**
 * What both parties of a garbled run agree on before any label moves, and the check that they do.
 * The garbler sends a 'control' header (scheme, salt, program shape, instances and chunking, gate
 * numbering, where the evaluator's input labels come from); the evaluator compares it with its own
 * plan and refuses, with a `ProtocolError` naming the field, a garbler running anything else. Both
 * the online run (`runner.ts`) and the offline/online split (`offline.ts`) start this way.
 */
import type { Channel } from '../channel.ts';
import { ProtocolError } from '../errors.ts';
import type { GarblingScheme } from '../garbling.ts';
import type { RandomSource } from '../random.ts';
import { GATE_ID_LIMIT } from './gate-ids.ts';
import { LABEL_BYTES } from './labels.ts';
import type { GcProgram } from './program.ts';
import { DEFAULT_TABLE_FRAME_BYTES } from './table-stream.ts';
import { sum } from './value-bits.ts';

/** Options of a garbled run that both parties pass alike (`random` is the garbler's own). */
export interface GcGarbleOptions {
  /** The scheme, salted with the session's salt (`scheme.withSalt`); both parties must use the same salt. */
  readonly scheme: GarblingScheme;
  /** Circuit instances run together (SIMD): every AND level of every instance is one hash batch. */
  readonly instances?: number;
  /** First gate id (hash tweak); a session allocates it (`GarblerSession`), so that no id repeats under one Δ. */
  readonly firstGateId?: number;
  /**
   * Instances per chunk are chosen so that a chunk's labels and tables in memory at once stay near
   * this many bytes (the garbler's choice; the evaluator follows it).
   */
  readonly chunkMemoryBytes?: number;
  /** Largest 'gc-table' frame. */
  readonly frameBytes?: number;
  /** Garbler: where its wire labels come from (default `systemRandom()`); Δ comes with its OT sender. */
  readonly random?: RandomSource;
}

/**
 * Where the evaluator's input labels come from: correlated OTs extended now (`extend`) or
 * derandomised from precomputed ones (`precomputed`), both inside the run; or, for a circuit
 * garbled offline, a precomputed label transfer after it (`offline`).
 */
export type EvaluatorInputs = 'extend' | 'precomputed' | 'offline';
const INPUT_CODES: Record<EvaluatorInputs, number> = { extend: 0, precomputed: 1, offline: 2 };

export interface RunPlan {
  readonly instances: number;
  readonly firstGateId: number;
  /** Gate ids the run consumes: AND gates per instance × instances. */
  readonly gateIds: number;
  readonly frameBytes: number;
  /** Instances per chunk (the garbler's; the evaluator takes the garbler's from the header). */
  readonly chunkInstances: number;
  readonly evaluatorInputs: EvaluatorInputs;
  readonly garblerBits: number;
  readonly evaluatorBits: number;
  readonly outputBits: number;
}

/**
 * 4 MiB, well below glibc's largest mmap threshold (32 MiB): a chunk's buffers (tables, labels) then
 * come from the heap and are reused from one chunk and one inference to the next. Buffers of 32 MiB
 * were fresh mappings every time, and first-touch page faults cost about 8 ms per MB on this
 * project's machine: CIFAR-10's offline phase (700 MB of tables) measured 3.6 s with 32 MiB chunks
 * and 2.9 s with 4 MiB (bench e2e, one run each, README "Private inference").
 */
const DEFAULT_CHUNK_MEMORY_BYTES = 4 << 20;
const HEADER_VERSION = 3n;
const HEADER_FIELDS = ['version', 'tableBytesPerAnd', 'salt', 'instances', 'chunkInstances', 'andsPerInstance', 'garblerBits', 'evaluatorBits', 'outputBits', 'firstGateId', 'evaluatorInputs'] as const;
type Header = Record<(typeof HEADER_FIELDS)[number], bigint>;
/** Bytes of a run header: one u64 per field. */
export const RUN_HEADER_BYTES = 8 * HEADER_FIELDS.length;

/** The checked plan of a run of `program` with `options`. */
export function planRun(program: GcProgram, options: GcGarbleOptions, evaluatorInputs: EvaluatorInputs): RunPlan {
  const instances = options.instances ?? 1;
  const firstGateId = options.firstGateId ?? 0;
  const frameBytes = options.frameBytes ?? DEFAULT_TABLE_FRAME_BYTES;
  if (!Number.isSafeInteger(instances) || instances < 1) throw new RangeError(`instances must be a positive integer, got ${instances}`);
  if (!Number.isSafeInteger(firstGateId) || firstGateId < 0) throw new RangeError(`firstGateId must be a non-negative integer, got ${firstGateId}`);
  if (!Number.isSafeInteger(frameBytes) || frameBytes < 1) throw new RangeError(`frameBytes must be a positive integer, got ${frameBytes}`);
  if (!(evaluatorInputs in INPUT_CODES)) throw new RangeError(`inputOts must be 'extend' or 'precomputed', got ${String(evaluatorInputs)}`);
  const gateIds = program.andsPerInstance * instances;
  if (firstGateId + gateIds > GATE_ID_LIMIT) {
    throw new RangeError(`${program.name}: gate ids ${firstGateId}..${firstGateId + gateIds} would pass ${GATE_ID_LIMIT}, where the OT's hash tweaks begin`);
  }
  const perInstance = Math.max(1, program.memoryPerInstance(options.scheme.tableBytesPerAnd));
  const chunkInstances = Math.min(instances, Math.max(1, Math.floor((options.chunkMemoryBytes ?? DEFAULT_CHUNK_MEMORY_BYTES) / perInstance)));
  return { instances, firstGateId, gateIds, frameBytes, chunkInstances, evaluatorInputs, garblerBits: sum(program.garblerWidths), evaluatorBits: sum(program.evaluatorWidths), outputBits: sum(program.outputWidths) };
}

/** Bytes of the decode bits of a chunk of `count` instances. */
export function decodeBytes(plan: RunPlan, count: number): number {
  return (plan.outputBits * count + 7) >>> 3;
}

/**
 * Bytes a circuit garbled offline sends the evaluator (the run header, then per chunk the garbler's
 * input labels, the tables and the decode bits), from the program and the options alone: what plans
 * and budgets predict, and tests compare with the transcript.
 */
export function offlineGarblingBytes(program: GcProgram, options: GcGarbleOptions): number {
  const plan = planRun(program, options, 'offline');
  let bytes = RUN_HEADER_BYTES;
  for (const [, count] of chunksOf(plan.instances, plan.chunkInstances)) {
    bytes += plan.garblerBits * count * LABEL_BYTES + program.andsPerInstance * count * options.scheme.tableBytesPerAnd + decodeBytes(plan, count);
  }
  return bytes;
}

/** The chunks of a run, as [first instance, instance count). */
export function* chunksOf(instances: number, chunkInstances: number): Generator<readonly [number, number]> {
  for (let from = 0; from < instances; from += chunkInstances) yield [from, Math.min(chunkInstances, instances - from)];
}

function headerOf(program: GcProgram, scheme: GarblingScheme, plan: RunPlan, chunkInstances: number): Header {
  return {
    version: HEADER_VERSION,
    tableBytesPerAnd: BigInt(scheme.tableBytesPerAnd),
    salt: scheme.salt,
    instances: BigInt(plan.instances),
    chunkInstances: BigInt(chunkInstances),
    andsPerInstance: BigInt(program.andsPerInstance),
    garblerBits: BigInt(plan.garblerBits),
    evaluatorBits: BigInt(plan.evaluatorBits),
    outputBits: BigInt(plan.outputBits),
    firstGateId: BigInt(plan.firstGateId),
    evaluatorInputs: BigInt(INPUT_CODES[plan.evaluatorInputs]),
  };
}

/** Garbler: announce the run. */
export async function sendRunHeader(channel: Channel, program: GcProgram, scheme: GarblingScheme, plan: RunPlan): Promise<void> {
  const header = headerOf(program, scheme, plan, plan.chunkInstances);
  const view = new DataView(new ArrayBuffer(RUN_HEADER_BYTES));
  HEADER_FIELDS.forEach((f, i) => view.setBigUint64(8 * i, header[f], true));
  await channel.send(new Uint8Array(view.buffer), 'control');
}

/** The fields of a run header, as sent (the privacy harness's simulators take a run's public parameters from a view). */
export function readRunHeader(bytes: Uint8Array): Readonly<Header> {
  if (bytes.length !== RUN_HEADER_BYTES) throw new ProtocolError(`garbled run header: ${bytes.length} bytes, expected ${RUN_HEADER_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const fields = {} as Header;
  HEADER_FIELDS.forEach((f, i) => (fields[f] = view.getBigUint64(8 * i, true)));
  return fields;
}

/** Evaluator: read the garbler's header, check it against our plan; returns the garbler's chunk size. */
export async function receiveRunHeader(channel: Channel, program: GcProgram, scheme: GarblingScheme, plan: RunPlan): Promise<number> {
  const theirs = readRunHeader(await channel.recv(RUN_HEADER_BYTES, 'control'));
  const ours = headerOf(program, scheme, plan, 0);
  for (const field of HEADER_FIELDS) {
    if (field !== 'chunkInstances' && theirs[field] !== ours[field]) {
      throw new ProtocolError(
        `garbled run of ${program.name}: the garbler's ${field} is ${theirs[field]}, ours is ${ours[field]}; ` +
          'both parties must run the same program, scheme, salt, instance count, gate numbering and input transfer',
      );
    }
  }
  const chunkInstances = Number(theirs.chunkInstances);
  if (theirs.chunkInstances < 1n || chunkInstances > plan.instances) {
    throw new ProtocolError(`garbled run of ${program.name}: the garbler's chunk of ${theirs.chunkInstances} instances is not in 1..${plan.instances}`);
  }
  return chunkInstances;
}
