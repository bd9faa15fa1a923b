/** The hybrid diagonal matrix-vector product, its rotate-and-sum left to the parties (geometry and layouts in `matvec-plan.ts`). */
import type { HeBackend, HeCiphertext, HePlaintext } from '../../core/he.ts';
import type { DenseSpec, LinearWeights, PreparedLinear, SlotLayout, WorkPiece } from '../../core/linear.ts';
import { reduceMod } from '../../core/modp.ts';
import {
  matvecColumn,
  matvecExpectedCounts,
  matvecInputLayout,
  matvecOutputLayout,
  matvecPieceInputs,
  matvecRotationSteps,
  planMatvec,
  rotatedSource,
  type MatvecPlan,
} from './matvec-plan.ts';
import { buildKernel, type KernelRun, type PlaintextCache } from './prepared-kernel.ts';

export function prepareMatvec(spec: DenseSpec, weights: LinearWeights, backend: HeBackend, piece: WorkPiece): PreparedLinear {
  const plan = planMatvec(spec, backend.params.slotCount);
  const p = backend.params.plainModulus;
  const outputLayout = matvecOutputLayout(plan, p);
  const description = {
    spec,
    method: 'hybrid-diagonal' as const,
    piece,
    inputLayout: matvecInputLayout(plan),
    outputLayout,
    rotationSteps: matvecRotationSteps(plan),
    expectedCounts: matvecExpectedCounts(plan, piece),
  };
  return buildKernel(backend, description, (cache) => encodeMatvec(plan, weights, p, piece, outputLayout, cache));
}

/** Diagonal plaintext (j, k, t): slot s gets W[r][c] for r = row of s, c = column that lands in s after rotating input k by t. */
function diagonalSlots(plan: MatvecPlan, weights: Int32Array, p: number, j: number, k: number, t: number): Uint32Array {
  const { slotCount: n, rowChunk, spec } = plan;
  const slots = new Uint32Array(n);
  for (let s = 0; s < n; s++) {
    const row = j * rowChunk + (s % rowChunk);
    if (row >= spec.outputs) continue;
    const column = matvecColumn(plan, k, rotatedSource(plan, s, t));
    if (column >= 0) slots[s] = reduceMod(weights[row * spec.inputs + column]!, p);
  }
  return slots;
}

function encodeMatvec(plan: MatvecPlan, weights: LinearWeights, p: number, piece: WorkPiece, outputLayout: SlotLayout, cache: PlaintextCache): KernelRun {
  const { rowChunks, diagonals } = plan;
  const { first, end } = matvecPieceInputs(plan, piece);
  const withBias = piece.index === 0;
  // diagonal[j][k][t] for the piece's input ciphertexts k (sparse over the others)
  const diagonal: HePlaintext[][][] = [];
  for (let j = 0; j < rowChunks; j++) {
    diagonal.push([]);
    for (let k = first; k < end; k++) {
      diagonal[j]![k] = [];
      for (let t = 0; t < diagonals; t++) diagonal[j]![k]!.push(cache.forMultiply(diagonalSlots(plan, weights.weights, p, j, k, t)));
    }
  }
  // The bias once per output, in its first slot (the output layout sums the rest).
  const bias = withBias ? outputLayout.pack(Uint32Array.from(weights.bias, (b) => reduceMod(b, p))).map((slots) => cache.forAddition(slots)) : [];

  return (inputs, ops, scope) => {
    const acc: (HeCiphertext | undefined)[] = new Array(rowChunks).fill(undefined);
    for (let k = first; k < end; k++) {
      let rotated = inputs[k]!;
      for (let t = 0; t < diagonals; t++) {
        if (t > 0) {
          // Chained single-step rotations: one Galois key serves every diagonal.
          const next = scope.track(ops.rotateRows(rotated, 1));
          if (rotated !== inputs[k]) rotated.dispose();
          rotated = next;
        }
        for (let j = 0; j < rowChunks; j++) acc[j] = ops.multiplyAccumulate(acc[j], rotated, diagonal[j]![k]![t]!, scope);
      }
      if (rotated !== inputs[k]) rotated.dispose();
    }
    return acc.map((sum, j) => (withBias ? scope.track(ops.addPlain(sum!, bias[j]!)) : sum!));
  };
}
