/**
 * The per-neuron non-linear function of a GAZELLE layer (docs/architecture.md §3, non-linear layers), on additive
 * shares mod p: the client holds c', the server s' (per window element), the server also picks the
 * output mask r''. The circuit outputs the client's new share
 *
 *     (ReLU(max_j signed(c'_j + s'_j mod p)) >> shift − r'') mod p
 *
 * (without ReLU when `relu: false`; `pool` window elements, 1 for a plain ReLU).
 *
 * Garbler-side preparation. The server knows s' and r'' in the clear, so it feeds the circuit
 * functions of them instead ({@link neuronServerInputs}): Q_j = p − ((s'_j + m) mod p) ∈ [1, p], where
 * m = p − 1 − h is the number of negative values. Then v_j = (c'_j − Q_j) mod p = (y_j + m) mod p
 * is the signed value shifted by m into [0, p): the wrap-around test of the share addition and the
 * sign test become one subtraction each, and signed order is plain unsigned order of v, so the
 * window max needs no sign handling. Cost with w = bitlength(p), odd p, z(m) = trailing zero bits of m:
 *
 *   v_j = (c'_j − Q_j) mod p                   k·(2w − 1)
 *   v = max_j v_j                              (k − 1)·2w
 *   t = v − m, negative = borrow               w − 1 − z(m)   (leading constant carries are free)
 *   z = ReLU(t) >> shift: zero w − 1 − shift   w − 1 − shift  (bits dropped by the shift are never zeroed)
 *       kept bits by ¬negative
 *   out = (z − r'') mod p                      2w − 1
 *
 * Total for one element and no shift: 6w − 4 − z(m) ≤ 6w − 4, against 8w + 2 for GAZELLE's ReLU
 * circuit alone. Computed literally from (c', s', r'') — modAdd 3w − 1, reluZp 2w − 2 − t(h),
 * modSub 2w − 1 — it would be 7w − 4 − t(h).
 * Without ReLU: shift 0 folds m into the mask (out = (v − (r'' + m)) mod p, 2w − 1 after the max);
 * a shift s > 0 takes t = v − m (w − 1 − z(m)), ⌊t / 2^s⌋ (free), back to Z_p (w − 1), − r'' (2w − 1).
 */
import { addMod, reduceMod, subMod, toSigned } from '../../modp.ts';
import type { Circuit } from '../circuit.ts';
import { recordCircuit } from '../recorder.ts';
import { sub, zeroExtend } from './arith.ts';
import { argmax, maximum } from './argmax.ts';
import { type Bit, type Bits, constantBits, Gates } from './gates.ts';
import { modSub, modSubLanes, modulusWidth, signedRange, signedToZp } from './modp.ts';
import { shiftRightArithmetic, zeroIfNegative } from './relu.ts';

export interface NeuronSpec {
  /** The plaintext modulus, odd for the stated AND counts (any p ≥ 2 computes correctly). */
  readonly p: number;
  /** MaxPool window size fused before the ReLU (default 1: no pooling). */
  readonly pool?: number;
  /** Arithmetic right shift (fixed-point rescaling) applied to the result, at most w − 2 (default 0). */
  readonly shift?: number;
  /** Apply the ReLU (default true). */
  readonly relu?: boolean;
}

interface Resolved {
  p: number;
  w: number;
  m: number;
  pool: number;
  shift: number;
  relu: boolean;
}

function resolve(spec: NeuronSpec): Resolved {
  const w = modulusWidth(spec.p);
  const pool = spec.pool ?? 1;
  const shift = spec.shift ?? 0;
  if (!Number.isInteger(pool) || pool < 1) throw new RangeError(`pool window must be a positive integer, got ${pool}`);
  // |signed value| < 2^(w−1): a shift of w − 1 or more would leave only the sign.
  if (!Number.isInteger(shift) || shift < 0 || shift > w - 2) throw new RangeError(`shift must be an integer in [0, ${w - 2}], got ${shift}`);
  return { p: spec.p, w, m: signedRange(spec.p).m, pool, shift, relu: spec.relu ?? true };
}

/** Bit width of every input and of the output: bitlength(p). */
export function neuronWidth(spec: NeuronSpec): number {
  return resolve(spec).w;
}

/** A RangeError unless `shares` has one value per window element and they and `mask` are integers in [0, p). */
function checkShares({ p, pool }: Resolved, whose: string, shares: readonly number[], mask: number): void {
  const inZp = (x: number): boolean => Number.isInteger(x) && x >= 0 && x < p;
  if (shares.length !== pool) throw new RangeError(`need ${pool} ${whose} shares (one per window element), got ${shares.length}`);
  if (!shares.every(inZp) || !inZp(mask)) throw new RangeError(`${whose} shares and mask must be integers in [0, ${p})`);
}

/** The server's (garbler's) circuit inputs, in the clear, from its shares s'_j ∈ [0, p) and mask r'' ∈ [0, p). */
export function neuronServerInputs(spec: NeuronSpec, shares: readonly number[], mask: number): { server: number[]; mask: number } {
  const r = resolve(spec);
  checkShares(r, 'server', shares, mask);
  const { p, m, shift, relu } = r;
  return {
    server: shares.map((s) => p - ((s + m) % p)),
    mask: !relu && shift === 0 ? (mask + m) % p : mask,
  };
}

/**
 * The client's new share in the clear: the neuron's plaintext meaning, written from the definition
 * (module comment; docs/architecture.md §3, non-linear layers) and not from the circuit, which is
 * checked against it.
 * The one reference of the tests, features and benches: client shares c'_j, server shares s'_j (one
 * per window element) and the server's mask r'', all in [0, p).
 */
export function neuronReference(spec: NeuronSpec, clientShares: readonly number[], serverShares: readonly number[], mask: number): number {
  const r = resolve(spec);
  checkShares(r, 'server', serverShares, mask);
  checkShares(r, 'client', clientShares, 0);
  const { p, shift, relu } = r;
  const largest = Math.max(...clientShares.map((c, j) => toSigned(addMod(c, serverShares[j]!, p), p)));
  const activated = relu ? Math.max(0, largest) : largest;
  // An arithmetic shift: ⌊x / 2^shift⌋, rounding negative values down too.
  const shifted = Math.floor(activated / 2 ** shift);
  return subMod(reduceMod(shifted, p), mask, p);
}

export interface NeuronInputs<W> {
  /** c'_j, one w-bit value per window element (evaluator inputs). */
  readonly client: readonly (readonly Bit<W>[])[];
  /** Q_j from {@link neuronServerInputs} (garbler inputs). */
  readonly server: readonly (readonly Bit<W>[])[];
  /** The prepared mask from {@link neuronServerInputs} (garbler input). */
  readonly mask: readonly Bit<W>[];
}

/** Shifted signed values v_j = (c'_j − Q_j) mod p = (c'_j + s'_j + m) mod p, all window elements in lockstep. */
function shiftedValues<W>(g: Gates<W>, r: Resolved, inputs: NeuronInputs<W>): Bits<W>[] {
  if (inputs.client.length !== r.pool || inputs.server.length !== r.pool) {
    throw new RangeError(`need ${r.pool} client and server values, got ${inputs.client.length} and ${inputs.server.length}`);
  }
  return modSubLanes(g, inputs.client.map((a, j) => ({ a, b: inputs.server[j]! })), r.p);
}

/** The client's new share (see the module comment); w bits, a value in [0, p). */
export function neuron<W>(g: Gates<W>, spec: NeuronSpec, inputs: NeuronInputs<W>): Bits<W> {
  const r = resolve(spec);
  if (inputs.mask.length !== r.w) throw new RangeError(`mask must be ${r.w} bits, got ${inputs.mask.length}`);
  const v = maximum(g, shiftedValues(g, r, inputs));
  if (!r.relu && r.shift === 0) return modSub(g, v, inputs.mask, r.p);
  // t = v − m is the signed value in w-bit two's complement; the borrow says it is negative.
  const { diff: t, borrow: negative } = sub(g, v, constantBits(r.m, r.w));
  const z = r.relu
    ? zeroExtend(zeroIfNegative(g, t.slice(r.shift), negative), r.w)
    : signedToZp(g, shiftRightArithmetic(t, r.shift), r.p);
  return modSub(g, z, inputs.mask, r.p);
}

/**
 * The neuron as an IR circuit (e.g. to save as Bristol Fashion or to garble with the generic runner).
 * Inputs in order: c'_1 .. c'_k (the evaluator's), Q_1 .. Q_k and the mask (the garbler's, from
 * {@link neuronServerInputs}), each w bits; one w-bit output, the client's new share.
 */
export function neuronCircuit(spec: NeuronSpec): Circuit {
  const { w, pool } = resolve(spec);
  return recordCircuit(Array<number>(2 * pool + 1).fill(w), (g, xs) => [
    neuron(g, spec, { client: xs.slice(0, pool), server: xs.slice(pool, 2 * pool), mask: xs[2 * pool]! }),
  ]);
}

/**
 * Argmax of the values held as shares (the optional last step, §2 step 5, revealing only the label):
 * the index of the first largest signed(c'_j + s'_j mod p), with the server's inputs prepared by
 * {@link neuronServerInputs} (`pool` = number of values). k·(2w − 1) ANDs plus {@link argmax}'s.
 */
export function argmaxOfShares<W>(g: Gates<W>, p: number, client: readonly (readonly Bit<W>[])[], server: readonly (readonly Bit<W>[])[]): Bits<W> {
  const r = resolve({ p, pool: client.length });
  return argmax(g, shiftedValues(g, r, { client, server, mask: [] }));
}

/** The AND gates {@link neuron} uses for odd p (the formula of the module comment). */
export function neuronAndCount(spec: NeuronSpec): number {
  const r = resolve(spec);
  let zm = 0;
  while (zm < r.w && ((r.m >> zm) & 1) === 0) zm++;
  const inputs = r.pool * (2 * r.w - 1) + (r.pool - 1) * 2 * r.w;
  if (!r.relu && r.shift === 0) return inputs + 2 * r.w - 1;
  const sign = r.w - 1 - zm;
  return inputs + sign + (r.relu ? r.w - 1 - r.shift : r.w - 1) + 2 * r.w - 1;
}
