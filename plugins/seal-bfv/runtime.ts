/**
 * One BFV parameter set brought to life in node-seal: the SEAL context, the shared evaluator (every
 * call guarded, native-fault.ts) and batch encoder, the modulus chain (parms_id and primes of every
 * level), the zero products (`zeroProduct`) and the noise model. Everything native here is owned by
 * one scope and released by `dispose()`.
 */
import { DisposalScope, withScope, type Disposable } from '../../core/dispose.ts';
import { ConfigError } from '../../core/errors.ts';
import type { HeParameters } from '../../core/he.ts';
import { guardMethods, guardNative } from './native-fault.ts';
import { scoped } from './native.ts';
import { NoiseModel } from './noise.ts';
import type { BfvParameterSet } from './params.ts';
import { plaintextData } from './seal-layout.ts';
import type { SealLibrary } from './seal-loader.ts';

export type Context = ReturnType<SealLibrary['Context']>;
export type Evaluator = ReturnType<SealLibrary['Evaluator']>;
export type BatchEncoder = ReturnType<SealLibrary['BatchEncoder']>;
export type CipherText = ReturnType<SealLibrary['CipherText']>;
export type PlainText = ReturnType<SealLibrary['PlainText']>;
export type ParmsIdType = ReturnType<SealLibrary['ParmsIdType']>;

/** One level of the modulus chain. SEAL's chain index: the top data level is L−1, the last is 0. */
export interface Level {
  readonly index: number;
  readonly parmsId: ParmsIdType;
  /** The parms_id words as serialised. */
  readonly parmsIdWords: BigUint64Array;
  /** The primes of this level, q_0 … q_index. */
  readonly moduli: readonly bigint[];
}

export class SealRuntime implements Disposable {
  readonly params: HeParameters;
  readonly noise: NoiseModel;
  readonly context: Context;
  readonly evaluator: Evaluator;
  readonly encoder: BatchEncoder;
  /** Data levels by chain index (0 = last, `top.index` = first). */
  readonly levels: readonly Level[];
  /** The key level: all data primes and the special prime. */
  readonly keyLevel: Level;
  readonly #scope = new DisposalScope();
  /** `zeroProduct` of every data level, by chain index. */
  readonly #zeroProducts: readonly PlainText[];

  constructor(
    readonly seal: SealLibrary,
    set: BfvParameterSet,
  ) {
    const scope = this.#scope;
    try {
      const n = set.polyModulusDegree;
      const parms = scoped(scope, seal.EncryptionParameters(seal.SchemeType.bfv));
      parms.setPolyModulusDegree(n);
      // params.ts checked that SEAL's prime search succeeds; should it throw anyway, node-seal is faulty (native-fault.ts).
      const coeffModulus = scoped(scope, guardNative('CoeffModulus.Create', () => seal.CoeffModulus.Create(n, Int32Array.from(set.coeffModulusBits))));
      parms.setCoeffModulus(coeffModulus);
      parms.setPlainModulus(scoped(scope, seal.Modulus(BigInt(set.plainModulus))));
      this.context = scoped(scope, seal.Context(parms, true, seal.SecurityLevel.tc128));
      if (!this.context.parametersSet()) {
        throw new ConfigError(
          `seal-bfv: SEAL rejects n = ${n}, coefficient modulus ${set.coeffModulusBits.join('+')} bits, p = ${set.plainModulus} ` +
            'at 128-bit security; choose a preset or parameters within SEAL\'s limits',
        );
      }
      const primes = [...parms.coeffModulus];
      const dataCount = primes.length - 1;
      const levels = withScope((temporary) => {
        const chain: Level[] = [];
        let data = scoped(temporary, this.context.firstContextData);
        for (let index = dataCount - 1; index >= 0; index--) {
          const parmsId = scoped(scope, data.parmsId);
          chain[index] = { index, parmsId, parmsIdWords: parmsId.values, moduli: primes.slice(0, index + 1) };
          if (index > 0) data = scoped(temporary, data.nextContextData);
        }
        return chain;
      });
      this.levels = levels;
      const keyParmsId = scoped(scope, this.context.keyParmsId);
      this.keyLevel = { index: dataCount, parmsId: keyParmsId, parmsIdWords: keyParmsId.values, moduli: primes };
      this.evaluator = guardMethods(scoped(scope, seal.Evaluator(this.context)), 'Evaluator');
      this.encoder = scoped(scope, seal.BatchEncoder(this.context));
      this.noise = new NoiseModel({ n, p: set.plainModulus, dataModuli: primes.slice(0, -1), specialModulus: primes[dataCount]! });
      this.#zeroProducts = levels.map((level) => this.#makeZeroProduct(level, n));
      this.params = {
        preset: set.preset,
        polyModulusDegree: n,
        slotCount: n,
        rowSize: n / 2,
        plainModulus: set.plainModulus,
        coeffModulusBits: [...set.coeffModulusBits],
      };
    } catch (error) {
      scope.dispose();
      throw error;
    }
  }

  /** The first (top) data level, where fresh ciphertexts live and every computation happens. */
  get top(): Level {
    return this.levels[this.levels.length - 1]!;
  }

  get last(): Level {
    return this.levels[0]!;
  }

  /**
   * The NTT plaintext that multiplies like zero, at `level` (made with the runtime, which owns it).
   *
   * A product with an all-zero plaintext has c1 = 0: SEAL calls such a "transparent" result an error
   * and throws, and an exception corrupts node-seal (native-fault.ts). Packed kernels do multiply by
   * all-zero weight plaintexts (structurally, e.g. a ciphertext's unused channel blocks, or because the
   * quantised weights are 0), so the backend multiplies by the constant polynomial p instead: ≡ 0 mod
   * p, so the product decrypts to zero, but invertible mod every q_i, so c1·p ≠ 0 and every later
   * operation stays ordinary. Its noise grows by a factor p ≤ ‖w‖₁'s bound n(p−1)/2 (noise.ts), like
   * any product, and the product costs the same as any other, so its time does not tell zero weights
   * from others. The NTT of a constant polynomial is that constant in every position: the plaintext is
   * n·(limbs) copies of p, made from SEAL's own NTT of the constant 1 (checked to be all ones).
   */
  zeroProduct(level: Level): PlainText {
    return this.#zeroProducts[level.index]!;
  }

  #makeZeroProduct(level: Level, n: number): PlainText {
    const { seal, encoder, evaluator } = this;
    const plainModulus = BigInt(this.noise.p);
    const none = seal.ComprModeType.none;
    const bytes = withScope((temporary) => {
      const one = scoped(temporary, seal.PlainText());
      encoder.encode(new Uint32Array(n).fill(1), one);
      const ntt = scoped(temporary, seal.PlainText());
      evaluator.plainTransformToNtt(one, level.parmsId, ntt);
      return ntt.saveArray(none);
    });
    const { dataOffset, count } = plaintextData(bytes, level.parmsIdWords, n * level.moduli.length);
    const words = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, 8 * count);
    for (let i = 0; i < count; i++) {
      if (words.getBigUint64(8 * i, true) !== 1n) throw new Error('seal-bfv: SEAL\'s NTT of the constant 1 is not all ones; cannot build the zero product');
      words.setBigUint64(8 * i, plainModulus, true);
    }
    const plain = scoped(this.#scope, seal.PlainText());
    guardNative('PlainText.loadArray', () => plain.loadArray(this.context, bytes));
    return plain;
  }

  /** The data level whose parms_id is `words`, if any. */
  levelOf(words: BigUint64Array): Level | undefined {
    return this.levels.find((l) => l.parmsIdWords.every((w, i) => w === words[i]));
  }

  dispose(): void {
    this.#scope.dispose();
  }
}
