/**
 * Geometry of GAZELLE's hybrid diagonal matrix-vector product (GAZELLE §5.2; Halevi-Shoup
 * diagonals), from the public layer shape and the slot count alone.
 *
 * Slots are 2 rows ("lanes") of N = n/2; rotations act within each lane. Sizes are padded to powers
 * of two: n_i' = pow2(inputs), n_o' = pow2(outputs), rows handled in chunks of n_oc = min(n_o', N).
 *
 * Input layout (`replicated`, when n_i' ≤ N): the n slots are cut into blocks of P = max(n_i', n_oc)
 * slots (a block never straddles the two lanes); block b holds x rotated by b·G, repeated with
 * period n_i' (x[(i + b·G) mod n_i'] at offset i), with G = n_i'·n_oc/n. Rotating the whole
 * ciphertext left by t ∈ [0, G) and multiplying by a "generalised diagonal" plaintext puts
 * W[r][c]·x[c] at slots s ≡ r (mod n_oc); over the blocks and the G rotations every column c of
 * every row r lands exactly once (block b covers columns ≡ r + b·G + [0, G) mod n_oc). GAZELLE then
 * rotates and sums over the slots ≡ r (mod n_oc) (steps N/2 … n_oc within a lane, then the lane
 * swap) to leave y[r] in slot r; here that sum is left to the parties (core/linear.ts: the output
 * layout `sum`s every slot ≡ r within the span, on shares), which saves all its rotations. When
 * n_i'·n_oc < n, G = 1 and only the first n_i'·n_oc slots are used.
 * Input layout (`split`, when n_i' > N): K = n_i'/n ciphertexts, ciphertext k holds
 * x[k·n … (k+1)·n) (lane 0 the first half, lane 1 the second) and G = n_oc rotations cover them.
 *
 * Cost per row chunk: K·G plaintext multiplications; K·(G − 1) input rotations (shared by the row
 * chunks). With K = J = 1 and n_i'·n_o' ≥ n this is the design's n_o·n_i/n mults and n_o·n_i/n − 1
 * rotations, without the design's log2(n/n_o) rotate-and-sum rotations (design-formulas.ts).
 */
import type { DenseSpec, OpCounts, WorkPiece } from '../../core/linear.ts';
import { MappedLayout } from './mapped-layout.ts';
import { nextPow2 } from './slot-math.ts';

export interface MatvecPlan {
  readonly spec: DenseSpec;
  /** n. */
  readonly slotCount: number;
  /** N = n/2, the rotation length. */
  readonly rowSize: number;
  /** n_i'. */
  readonly paddedInputs: number;
  /** n_oc: outputs per output ciphertext. */
  readonly rowChunk: number;
  /** J: output ciphertexts. */
  readonly rowChunks: number;
  /** K: input ciphertexts. */
  readonly inputCiphertexts: number;
  readonly spread: 'replicated' | 'split';
  /** P: block size of the replicated layout. */
  readonly block: number;
  /** Blocks holding data (the rest of the slots are unused). */
  readonly usedBlocks: number;
  /** G: rotations (0 … G−1) of each input ciphertext, one diagonal each. */
  readonly diagonals: number;
  /** Slots holding partial sums (the first n_i'·n_oc, or all n): the output layout adds up those ≡ r (mod n_oc). */
  readonly sumSpan: number;
}

export function planMatvec(spec: DenseSpec, slotCount: number): MatvecPlan {
  const rowSize = slotCount / 2;
  const paddedInputs = nextPow2(spec.inputs);
  const paddedOutputs = nextPow2(spec.outputs);
  const rowChunk = Math.min(paddedOutputs, rowSize);
  const rowChunks = paddedOutputs / rowChunk;
  const base = { spec, slotCount, rowSize, paddedInputs, rowChunk, rowChunks };
  if (paddedInputs > rowSize) {
    return { ...base, inputCiphertexts: paddedInputs / slotCount, spread: 'split', block: rowSize, usedBlocks: 2, diagonals: rowChunk, sumSpan: slotCount };
  }
  const block = Math.max(paddedInputs, rowChunk);
  const diagonals = Math.max(1, (paddedInputs * rowChunk) / slotCount);
  const usedBlocks = Math.min(paddedInputs, rowChunk) / diagonals;
  return { ...base, inputCiphertexts: 1, spread: 'replicated', block, usedBlocks, diagonals, sumSpan: usedBlocks * block };
}

/** The input column held by `slot` of input ciphertext `k` (−1: unused or padding). */
export function matvecColumn(plan: MatvecPlan, k: number, slot: number): number {
  let column: number;
  if (plan.spread === 'split') {
    column = k * plan.slotCount + slot;
  } else {
    const b = Math.floor(slot / plan.block);
    if (b >= plan.usedBlocks) return -1;
    column = ((slot % plan.block) + b * plan.diagonals) % plan.paddedInputs;
  }
  return column < plan.spec.inputs ? column : -1;
}

/** Slot `slot` after a left rotation of each lane by `t`: which slot's value it now holds. */
export function rotatedSource(plan: MatvecPlan, slot: number, t: number): number {
  const lane = slot >= plan.rowSize ? plan.rowSize : 0;
  return lane + ((slot - lane + t) % plan.rowSize);
}

/** Galois steps: 1 when there are input rotations (chained single steps), else none. */
export function matvecRotationSteps(plan: MatvecPlan): number[] {
  return plan.diagonals > 1 ? [1] : [];
}

/** The input ciphertexts [first, end) piece `index` of `count` multiplies (`WorkPiece`): pieces are cut over the input ciphertexts, so at most K of them. */
export function matvecPieceInputs(plan: MatvecPlan, piece: WorkPiece): { first: number; end: number } {
  const k = plan.inputCiphertexts;
  return { first: Math.floor((piece.index * k) / piece.count), end: Math.floor(((piece.index + 1) * k) / piece.count) };
}

/** The kernel's cost formulas (see the header comment), for the whole layer or one piece. */
export function matvecExpectedCounts(plan: MatvecPlan, piece: WorkPiece = { index: 0, count: 1 }): OpCounts {
  const { first, end } = matvecPieceInputs(plan, piece);
  const k = end - first;
  const { rowChunks: j, diagonals: g } = plan;
  return {
    plainMultiplications: j * k * g,
    multiplicands: k * g,
    rotations: k * (g - 1),
    // per output: K·G − 1 accumulations, the bias (piece 0)
    additions: j * (k * g - 1 + (piece.index === 0 ? 1 : 0)),
  };
}

export function matvecInputLayout(plan: MatvecPlan): MappedLayout {
  const n = plan.slotCount;
  const table = new Int32Array(plan.inputCiphertexts * n);
  for (let k = 0; k < plan.inputCiphertexts; k++) for (let s = 0; s < n; s++) table[k * n + s] = matvecColumn(plan, k, s);
  return new MappedLayout(n, plan.spec.inputs, table);
}

/** Output j·n_oc + r is the sum mod p of the slots s ≡ r (mod n_oc) below the span of output ciphertext j (its partial sums). */
export function matvecOutputLayout(plan: MatvecPlan, plainModulus: number): MappedLayout {
  const n = plan.slotCount;
  const table = new Int32Array(plan.rowChunks * n).fill(-1);
  for (let o = 0; o < plan.spec.outputs; o++) {
    const base = Math.floor(o / plan.rowChunk) * n;
    for (let s = o % plan.rowChunk; s < plan.sumSpan; s += plan.rowChunk) table[base + s] = o;
  }
  return new MappedLayout(n, plan.spec.outputs, table, { reduce: 'sum', modulus: plainModulus });
}
