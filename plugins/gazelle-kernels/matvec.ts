/** The hybrid diagonal matrix-vector product (geometry and layouts in `matvec-plan.ts`). */
import type { HeBackend, HeCiphertext, HePlaintext } from '../../core/he.ts';
import type { DenseSpec, LinearWeights, PreparedLinear, WorkPiece } from '../../core/linear.ts';
import { reduceMod } from '../../core/modp.ts';
import {
  matvecColumn,
  matvecExpectedCounts,
  matvecInputLayout,
  matvecOutputLayout,
  matvecPieceInputs,
  matvecRotationSteps,
  matvecSumSteps,
  planMatvec,
  rotatedSource,
  type MatvecPlan,
} from './matvec-plan.ts';
import { buildKernel, type KernelRun, type PlaintextCache } from './prepared-kernel.ts';

export function prepareMatvec(spec: DenseSpec, weights: LinearWeights, backend: HeBackend, piece: WorkPiece): PreparedLinear {
  const plan = planMatvec(spec, backend.params.slotCount);
  const description = {
    spec,
    method: 'hybrid-diagonal' as const,
    piece,
    inputLayout: matvecInputLayout(plan),
    outputLayout: matvecOutputLayout(plan),
    rotationSteps: matvecRotationSteps(plan),
    expectedCounts: matvecExpectedCounts(plan, piece),
  };
  return buildKernel(backend, description, (cache) => encodeMatvec(plan, weights, backend.params.plainModulus, piece, cache));
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

function biasSlots(plan: MatvecPlan, bias: Int32Array, p: number, j: number): Uint32Array {
  const slots = new Uint32Array(plan.slotCount);
  for (let s = 0; s < plan.slotCount; s++) {
    const row = j * plan.rowChunk + (s % plan.rowChunk);
    if (row < plan.spec.outputs) slots[s] = reduceMod(bias[row]!, p);
  }
  return slots;
}

function encodeMatvec(plan: MatvecPlan, weights: LinearWeights, p: number, piece: WorkPiece, cache: PlaintextCache): KernelRun {
  const { rowChunks, diagonals } = plan;
  const { first, end } = matvecPieceInputs(plan, piece);
  const withBias = piece.index === 0;
  // diagonal[j][k][t] for the piece's input ciphertexts k (sparse over the others)
  const diagonal: HePlaintext[][][] = [];
  const bias: HePlaintext[] = [];
  for (let j = 0; j < rowChunks; j++) {
    diagonal.push([]);
    for (let k = first; k < end; k++) {
      diagonal[j]![k] = [];
      for (let t = 0; t < diagonals; t++) diagonal[j]![k]!.push(cache.forMultiply(diagonalSlots(plan, weights.weights, p, j, k, t)));
    }
    if (withBias) bias.push(cache.forAddition(biasSlots(plan, weights.bias, p, j)));
  }
  const sumSteps = matvecSumSteps(plan);

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
    return acc.map((sum, j) => {
      for (const step of sumSteps) ops.addRotated(sum!, sum!, step);
      return withBias ? scope.track(ops.addPlain(sum!, bias[j]!)) : sum!;
    });
  };
}
