/**
 * End-to-end run of one layer for tests and feature steps: the client packs and encrypts x, the
 * server applies the prepared kernel, the client decrypts and unpacks; beside it, the plaintext
 * reference on the same values. Everything native is released before returning.
 */
import { withScope } from '../../core/dispose.ts';
import type { HeBackend, HeClientKeys, HeServerKeys } from '../../core/he.ts';
import type { LinearKernels, LinearSpec, LinearWeights, OpCounts, PrepareOptions, PreparedLinear } from '../../core/linear.ts';
import { linearReference } from '../../core/linear-reference.ts';

export interface LayerRun {
  /** Decrypted and unpacked kernel output. */
  readonly actual: Uint32Array;
  /** The plaintext reference on the same input. */
  readonly expected: Uint32Array;
  readonly method: PreparedLinear['method'];
  /** Counted during `apply`. */
  readonly counts: OpCounts;
  /** The kernel's formulas. */
  readonly expectedCounts: OpCounts;
  readonly rotationSteps: readonly number[];
}

export interface KeyPair {
  readonly client: HeClientKeys;
  readonly server: HeServerKeys;
}

/** Client keys and the server's imported copy, for `steps`; the caller disposes both. */
export function generateKeyPair(backend: HeBackend, steps: readonly number[]): KeyPair {
  const client = backend.generateKeys(steps);
  try {
    return { client, server: backend.importServerKeys(backend.exportServerKeys(client)) };
  } catch (error) {
    client.dispose();
    throw error;
  }
}

/** Run `spec` on x; with `keys` omitted, fresh keys for exactly the layer's rotation steps. */
export function runEncryptedLayer(
  kernels: LinearKernels,
  backend: HeBackend,
  spec: LinearSpec,
  weights: LinearWeights,
  x: Uint32Array,
  options: PrepareOptions = {},
  keys?: KeyPair,
): LayerRun {
  return withScope((scope) => {
    const prepared = scope.track(kernels.prepare(spec, weights, backend, options));
    const pair = keys ?? generateKeyPair(backend, prepared.rotationSteps);
    if (!keys) {
      scope.track(pair.client);
      scope.track(pair.server);
    }
    const inputs = prepared.inputLayout.pack(x).map((slots) => scope.track(backend.deserialize(backend.encryptSymmetric(slots, pair.client))));
    const outputs = prepared.apply(inputs, pair.server).map((ct) => scope.track(ct));
    return {
      actual: prepared.outputLayout.unpack(outputs.map((ct) => backend.decrypt(ct, pair.client))),
      expected: linearReference(spec, weights, x, backend.params.plainModulus),
      method: prepared.method,
      counts: prepared.lastCounts,
      expectedCounts: prepared.expectedCounts,
      rotationSteps: prepared.rotationSteps,
    };
  });
}

/**
 * Run `spec` on x cut into `count` pieces (`WorkPiece`): every piece prepared on its own and applied
 * to the same encrypted inputs under one key set (the union of the pieces' steps), the partial
 * outputs added as ciphertexts, then decrypted and unpacked.
 */
export function runEncryptedPieces(
  kernels: LinearKernels,
  backend: HeBackend,
  spec: LinearSpec,
  weights: LinearWeights,
  x: Uint32Array,
  count: number,
  options: PrepareOptions = {},
): { readonly actual: Uint32Array; readonly expected: Uint32Array; readonly counts: readonly OpCounts[] } {
  return withScope((scope) => {
    const pieces = Array.from({ length: count }, (_, index) => scope.track(kernels.prepare(spec, weights, backend, { ...options, piece: { index, count } })));
    const pair = generateKeyPair(backend, [...new Set(pieces.flatMap((piece) => piece.rotationSteps))]);
    scope.track(pair.client);
    scope.track(pair.server);
    const inputs = pieces[0]!.inputLayout.pack(x).map((slots) => scope.track(backend.deserialize(backend.encryptSymmetric(slots, pair.client))));
    const partials = pieces.map((piece) => piece.apply(inputs, pair.server).map((ct) => scope.track(ct)));
    const sums = partials[0]!;
    for (const partial of partials.slice(1)) partial.forEach((ct, c) => backend.addInPlace(sums[c]!, ct));
    return {
      actual: pieces[0]!.outputLayout.unpack(sums.map((ct) => backend.decrypt(ct, pair.client))),
      expected: linearReference(spec, weights, x, backend.params.plainModulus),
      counts: pieces.map((piece) => piece.lastCounts),
    };
  });
}
