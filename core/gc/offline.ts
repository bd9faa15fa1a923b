/**
 * A garbled run split at the evaluator's inputs, as the design's offline and online phases need
 * (§2 steps 2 and 4): the server (garbler) garbles a non-linear layer while the client's inputs
 * are still unknown, and the client evaluates it once they are.
 *
 * Offline: `garbleOffline` sends the run header, then per chunk the active labels of the garbler's
 * inputs (its shares and masks are chosen offline), the tables and the decode bits; it draws the
 * evaluator's input zero-labels itself and keeps them (`GarbledOffline`). `receiveGarbled` stores
 * all of it (`StoredGarbledCircuit`: the evaluator holds the layer's tables; the garbler still
 * streams them and never holds more than a frame and a level).
 *
 * Online: `sendEvaluatorLabels` / `receiveEvaluatorLabels` run the precomputed label transfer
 * (`OtSender.sendLabelsPrecomputed`: 1 bit up, 16 bytes down per input bit, from OTs both parties
 * precomputed with `precompute(inputOtCount(program, instances))`), then `evaluateStored` runs the
 * circuit from memory and decodes. The chunk loop, header check and decoding are the online run's
 * (`chunks.ts`, `run-plan.ts`).
 *
 * The zero-labels are transferred once: a second transfer with other choices would hand the
 * evaluator both labels of a changed input bit, hence Δ, so `GarbledOffline` refuses it.
 */
import type { Channel } from '../channel.ts';
import { SecurityError } from '../errors.ts';
import type { GarblingScheme } from '../garbling.ts';
import type { OtReceiver, OtSender } from '../ot.ts';
import { systemRandom } from '../random.ts';
import { appendOutputs, decodeChunk, evaluateChunk, garbleRun, RunTally, type GcRunStats } from './chunks.ts';
import { LABEL_BYTES } from './labels.ts';
import type { GcProgram } from './program.ts';
import { chunksOf, decodeBytes, type GcGarbleOptions, planRun, receiveRunHeader, type RunPlan } from './run-plan.ts';
import { TableReader } from './table-stream.ts';
import { chunkOf, valueBits, type GcInputValues } from './value-bits.ts';

/** What the garbler keeps of a circuit garbled offline, for the online label transfer. */
export class GarbledOffline {
  #zeroLabels: Uint8Array | undefined;

  constructor(
    readonly program: GcProgram,
    readonly stats: GcRunStats,
    zeroLabels: Uint8Array,
  ) {
    this.#zeroLabels = zeroLabels;
  }

  /** Precomputed OTs the online transfer consumes: one per input bit of the evaluator. */
  get inputOts(): number {
    return this.#zeroLabels ? this.#zeroLabels.length / LABEL_BYTES : 0;
  }

  /** The evaluator's input zero-labels, ordered (chunk, value bit, instance), handed out once. */
  takeZeroLabels(): Uint8Array {
    const labels = this.#zeroLabels;
    if (!labels) {
      throw new SecurityError(`${this.program.name}: the evaluator's input labels were transferred already; a second transfer would reveal Δ. Garble the layer again.`);
    }
    this.#zeroLabels = undefined;
    return labels;
  }
}

interface StoredChunk {
  readonly from: number;
  readonly count: number;
  readonly garblerLabels: Uint8Array;
  readonly tables: Uint8Array;
  readonly decode: Uint8Array;
}

/** What the evaluator keeps of a circuit garbled offline: every chunk's garbler labels, tables and decode bits. */
export class StoredGarbledCircuit {
  constructor(
    readonly program: GcProgram,
    readonly scheme: GarblingScheme,
    readonly plan: RunPlan,
    readonly chunks: readonly StoredChunk[],
  ) {}

  /** Precomputed OTs the online transfer consumes: one per input bit of the evaluator. */
  get inputOts(): number {
    return this.plan.evaluatorBits * this.plan.instances;
  }

  /** Table bytes held. */
  get tableBytes(): number {
    return this.chunks.reduce((s, c) => s + c.tables.length, 0);
  }
}

/**
 * Garbler, offline: garble `program` over `options.instances` instances with the garbler's inputs
 * known and the evaluator's not; stream it all to the evaluator. Δ is `ot.delta`, the offset of
 * the OTs that transfer the evaluator's labels later.
 */
export async function garbleOffline(channel: Channel, program: GcProgram, garblerInputs: GcInputValues, ot: OtSender, options: GcGarbleOptions): Promise<GarbledOffline> {
  const plan = planRun(program, options, 'offline');
  const random = options.random ?? systemRandom();
  const zeroLabels = new Uint8Array(plan.evaluatorBits * plan.instances * LABEL_BYTES);
  let filled = 0;
  const stats = await garbleRun(channel, program, garblerInputs, ot.delta, options, plan, async (count) => {
    const labels = zeroLabels.subarray(filled, (filled += plan.evaluatorBits * count * LABEL_BYTES));
    random.fill(labels);
    return labels;
  });
  return new GarbledOffline(program, stats, zeroLabels);
}

/** Evaluator, offline: receive and store a circuit `garbleOffline` sends (same program and options). */
export async function receiveGarbled(channel: Channel, program: GcProgram, options: GcGarbleOptions): Promise<StoredGarbledCircuit> {
  const plan = planRun(program, options, 'offline');
  const chunkInstances = await receiveRunHeader(channel, program, options.scheme, plan);
  const chunks: StoredChunk[] = [];
  for (const [from, count] of chunksOf(plan.instances, chunkInstances)) {
    const garblerLabels = await channel.recv(plan.garblerBits * count * LABEL_BYTES, 'input-labels');
    const tableBytes = program.andsPerInstance * count * options.scheme.tableBytesPerAnd;
    const tables = tableBytes === 0 ? new Uint8Array(0) : await channel.recv(tableBytes, 'gc-table');
    const decode = await channel.recv(decodeBytes(plan, count), 'decode-bits');
    chunks.push({ from, count, garblerLabels, tables, decode });
  }
  return new StoredGarbledCircuit(program, options.scheme, plan, chunks);
}

/** Garbler, online: transfer the evaluator's input labels of a circuit garbled offline (once). */
export async function sendEvaluatorLabels(ot: OtSender, garbled: GarbledOffline): Promise<void> {
  const zeroLabels = garbled.takeZeroLabels();
  if (zeroLabels.length > 0) await ot.sendLabelsPrecomputed(zeroLabels);
}

/** Evaluator, online: its input labels for `stored`, from its input values (`inputs[k][i]`). */
export async function receiveEvaluatorLabels(ot: OtReceiver, stored: StoredGarbledCircuit, inputs: GcInputValues): Promise<Uint8Array> {
  const { instances, evaluatorBits } = stored.plan;
  const bits = valueBits(inputs, stored.program.evaluatorWidths, instances, 'evaluator');
  if (bits.length === 0) return new Uint8Array(0);
  // The garbler drew the zero-labels chunk by chunk: the choices go in the same order.
  const choices = new Uint8Array(bits.length);
  for (const { from, count } of stored.chunks) choices.set(chunkOf(bits, instances, from, count), from * evaluatorBits);
  return ot.receiveLabelsPrecomputed(choices);
}

/** Evaluator, online: evaluate a stored circuit with its input labels; `outputs[k][i]` is output value k of instance i. */
export async function evaluateStored(stored: StoredGarbledCircuit, evaluatorLabels: Uint8Array): Promise<{ outputs: bigint[][]; stats: GcRunStats }> {
  const { program, scheme, plan } = stored;
  if (evaluatorLabels.length !== stored.inputOts * LABEL_BYTES) {
    throw new RangeError(`${program.name}: ${evaluatorLabels.length} bytes of evaluator labels, expected ${stored.inputOts * LABEL_BYTES} (16 per input bit)`);
  }
  const outputs: bigint[][] = [];
  const tally = new RunTally(plan.firstGateId);
  for (const chunk of stored.chunks) {
    const labels = evaluatorLabels.subarray(chunk.from * plan.evaluatorBits * LABEL_BYTES, (chunk.from + chunk.count) * plan.evaluatorBits * LABEL_BYTES);
    const evaluated = await evaluateChunk(program, scheme, chunk.count, chunk.garblerLabels, labels, new TableReader(chunk.tables), tally);
    appendOutputs(outputs, decodeChunk(evaluated, chunk.decode));
  }
  return { outputs, stats: tally.stats(plan.instances) };
}
