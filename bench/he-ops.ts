/**
 * Per-operation timings of an `HeBackend` (seconds, median over repetitions: the machine is shared and
 * noisy) and the byte sizes of what it sends. For `seal-bfv` it also times a raw node-seal rotation
 * on the same parameters in the same run, so `rotateOverRaw` shows what the wrapper costs.
 * Context (published, other machines): native SEAL 4.1.2 rotates in 3.3 ms at n = 8192, node-seal
 * 6.0.3 in about 7.1 ms.
 */
import { DisposalScope, withScope } from '../core/dispose.ts';
import type { HeBackend, HeCiphertext } from '../core/he.ts';
import { scoped } from '../plugins/seal-bfv/native.ts';
import { SealRuntime } from '../plugins/seal-bfv/runtime.ts';
import { SealBfvBackend } from '../plugins/seal-bfv/seal-bfv.ts';
import { loadSeal } from '../plugins/seal-bfv/seal-loader.ts';
import { median } from './measure.ts';

export interface HeOpsOptions {
  /** Few repetitions (smoke test of the bench code). */
  readonly quick: boolean;
  readonly log?: (line: string) => void;
}

export interface HeOpTimings {
  readonly preset: string;
  readonly polyModulusDegree: number;
  /** Seconds per operation (median). */
  readonly seconds: {
    /** Key generation without Galois keys, and with the key of one rotation step. */
    readonly keygen: number;
    readonly keygenOneStep: number;
    readonly encrypt: number;
    readonly encryptSymmetric: number;
    readonly decrypt: number;
    readonly encode: number;
    readonly encodeForMultiply: number;
    /** Product with a cached NTT plaintext, the ciphertext's NTT form already cached (kernel steady state). */
    readonly mulPlain: number;
    /** The same, on a ciphertext in coefficient form (includes its forward NTT). */
    readonly mulPlainFromCoefficients: number;
    /** Product with a coefficient-form plaintext (SEAL transforms both operands each time). */
    readonly mulPlainUncachedPlaintext: number;
    readonly rotate: number;
    readonly add: number;
    readonly addPlain: number;
    readonly finish: number;
    readonly serialize: number;
    readonly deserialize: number;
    /** Raw node-seal `rotateRows` on the same parameters (seal-bfv only). */
    readonly rawNodeSealRotate?: number;
  };
  readonly bytes: {
    readonly uploadSymmetric: number;
    readonly uploadPublicKey: number;
    readonly returned: number;
    readonly serverKeysBase: number;
    readonly galoisKeyPerStep: number;
  };
  /** uploadSymmetric / uploadPublicKey (≈ 0.5 with seeded encryption). */
  readonly symmetricUploadRatio: number;
  /** rotate / rawNodeSealRotate, measured in this run. */
  readonly rotateOverRaw?: number;
  /** Flooding margin (bits) of a returned product, as reported by `finish`. */
  readonly marginBits: number;
}

/**
 * Median seconds of `op` over `reps` calls (after one warm-up). `prepare` (untimed) makes each call's
 * input; both get a scope that releases their by-products after the call.
 */
function timeOp<T>(reps: number, op: (scope: DisposalScope, input: T) => void, prepare?: (scope: DisposalScope) => T): number {
  const samples: number[] = [];
  for (let i = 0; i <= reps; i++) {
    withScope((scope) => {
      const input = prepare?.(scope) as T;
      const start = performance.now();
      op(scope, input);
      if (i > 0) samples.push((performance.now() - start) / 1000);
    });
  }
  return median(samples);
}

/** Median of per-pair ratios a/b, calls alternating, so load changes on a shared machine hit both alike. */
function interleavedRatio(reps: number, a: (scope: DisposalScope) => void, b: () => void): { a: number; b: number; ratio: number } {
  const as: number[] = [];
  const bs: number[] = [];
  const seconds = (run: () => void) => {
    const start = performance.now();
    run();
    return (performance.now() - start) / 1000;
  };
  for (let i = 0; i <= reps; i++) {
    const ta = withScope((scope) => seconds(() => a(scope)));
    const tb = seconds(b);
    if (i > 0) {
      as.push(ta);
      bs.push(tb);
    }
  }
  return { a: median(as), b: median(bs), ratio: median(as.map((v, i) => v / bs[i]!)) };
}

export async function measureHeOps(backend: HeBackend, options: HeOpsOptions): Promise<HeOpTimings> {
  const reps = options.quick ? 2 : 15;
  const raw = backend instanceof SealBfvBackend ? await rawRotation(backend) : undefined;
  try {
    return measure(backend, options, reps, raw?.rotate);
  } finally {
    raw?.dispose();
  }
}

function measure(backend: HeBackend, options: HeOpsOptions, reps: number, rawRotate: (() => void) | undefined): HeOpTimings {
  const { slotCount: n, plainModulus: p } = backend.params;
  const slots = () => Uint32Array.from({ length: n }, (_, i) => (i * 7919 + 13) % p);
  options.log?.(`he ops: ${backend.name} ${backend.params.preset} (n = ${n}), ${reps} repetitions`);
  const result = withScope((s) => {
    const client = s.track(backend.generateKeys([1]));
    const serverKeyBytes = backend.exportServerKeys(client);
    const server = s.track(backend.importServerKeys(serverKeyBytes));
    const base = withScope((t) => backend.exportServerKeys(t.track(backend.generateKeys([])))).length;
    const x = slots();
    const weights = s.track(backend.encodeForMultiply(slots()));
    const weightsCoefficients = s.track(backend.encode(slots()));
    const upload = backend.encryptSymmetric(x, client);
    const ct = s.track(backend.deserialize(upload));
    const warmNtt = s.track(backend.mulPlain(ct, weights)); // caches ct's NTT form
    const serialized = backend.serialize(ct);
    const freshCopy = (scope: DisposalScope): HeCiphertext => scope.track(backend.deserialize(serialized));
    const rotate = (t: DisposalScope) => void t.track(backend.rotateRows(ct, 1, server));
    const versusRaw = rawRotate && interleavedRatio(reps, rotate, rawRotate);
    const seconds = {
      keygen: timeOp(Math.min(reps, 5), (t) => void t.track(backend.generateKeys([]))),
      keygenOneStep: timeOp(Math.min(reps, 5), (t) => void t.track(backend.generateKeys([1]))),
      encrypt: timeOp(reps, (t) => void t.track(backend.encryptPublic(x, server))),
      encryptSymmetric: timeOp(reps, () => void backend.encryptSymmetric(x, client)),
      decrypt: timeOp(reps, () => void backend.decrypt(ct, client)),
      encode: timeOp(reps, (t) => void t.track(backend.encode(x))),
      encodeForMultiply: timeOp(reps, (t) => void t.track(backend.encodeForMultiply(x))),
      mulPlain: timeOp(reps, (t) => void t.track(backend.mulPlain(ct, weights))),
      mulPlainFromCoefficients: timeOp(reps, (t, copy) => void t.track(backend.mulPlain(copy, weights)), freshCopy),
      mulPlainUncachedPlaintext: timeOp(reps, (t) => void t.track(backend.mulPlain(ct, weightsCoefficients))),
      rotate: timeOp(reps, rotate),
      add: timeOp(reps, (t) => void t.track(backend.add(ct, ct))),
      addPlain: timeOp(reps, (t) => void t.track(backend.addPlain(ct, weightsCoefficients))),
      finish: timeOp(reps, () => void backend.finish(warmNtt, server)),
      serialize: timeOp(reps, () => void backend.serialize(ct)),
      deserialize: timeOp(reps, (t) => void t.track(backend.deserialize(serialized))),
    };
    const finished = backend.finish(warmNtt, server);
    const uploadPublicKey = backend.serialize(s.track(backend.encryptPublic(x, server))).length;
    return {
      seconds: versusRaw ? { ...seconds, rawNodeSealRotate: versusRaw.b } : seconds,
      rotateOverRaw: versusRaw?.ratio,
      bytes: {
        uploadSymmetric: upload.length,
        uploadPublicKey,
        returned: finished.bytes.length,
        serverKeysBase: base,
        galoisKeyPerStep: serverKeyBytes.length - base,
      },
      marginBits: finished.marginBits,
    };
  });
  return {
    preset: backend.params.preset,
    polyModulusDegree: n,
    seconds: result.seconds,
    bytes: result.bytes,
    symmetricUploadRatio: result.bytes.uploadSymmetric / result.bytes.uploadPublicKey,
    ...(result.rotateOverRaw === undefined ? {} : { rotateOverRaw: result.rotateOverRaw }),
    marginBits: result.marginBits,
  };
}

/** node-seal's own rotateRows on the backend's parameters, with no wrapper at all (preallocated output). */
async function rawRotation(backend: SealBfvBackend): Promise<{ rotate: () => void; dispose: () => void }> {
  const seal = await loadSeal();
  const { preset, polyModulusDegree, plainModulus, coeffModulusBits } = backend.params;
  const runtime = new SealRuntime(seal, { preset, polyModulusDegree, plainModulus, coeffModulusBits });
  const scope = new DisposalScope();
  try {
    const keygen = scoped(scope, seal.KeyGenerator(runtime.context));
    const publicKey = scoped(scope, keygen.createPublicKey());
    const galoisKeys = scoped(scope, keygen.createGaloisKeys(Int32Array.from([1])));
    const plain = scoped(scope, seal.PlainText());
    runtime.encoder.encode(new Uint32Array(polyModulusDegree).fill(1), plain);
    const ct = scoped(scope, seal.CipherText());
    scoped(scope, seal.Encryptor(runtime.context, publicKey)).encrypt(plain, ct);
    const out = scoped(scope, seal.CipherText());
    return {
      rotate: () => runtime.evaluator.rotateRows(ct, 1, galoisKeys, out),
      dispose: () => {
        scope.dispose();
        runtime.dispose();
      },
    };
  } catch (error) {
    scope.dispose();
    runtime.dispose();
    throw error;
  }
}
