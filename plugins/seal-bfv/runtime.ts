/**
 * One BFV parameter set brought to life in node-seal: the SEAL context, the shared evaluator and batch
 * encoder, the modulus chain (parms_id and primes of every level) and the noise model. Everything
 * native here is owned by one scope and released by `dispose()`.
 */
import { DisposalScope, withScope, type Disposable } from '../../core/dispose.ts';
import { ConfigError } from '../../core/errors.ts';
import type { HeParameters } from '../../core/he.ts';
import { scoped } from './native.ts';
import { NoiseModel } from './noise.ts';
import type { BfvParameterSet } from './params.ts';
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

  constructor(
    readonly seal: SealLibrary,
    set: BfvParameterSet,
  ) {
    const scope = this.#scope;
    try {
      const n = set.polyModulusDegree;
      const parms = scoped(scope, seal.EncryptionParameters(seal.SchemeType.bfv));
      parms.setPolyModulusDegree(n);
      const coeffModulus = scoped(scope, seal.CoeffModulus.Create(n, Int32Array.from(set.coeffModulusBits)));
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
      this.evaluator = keepTransparentResults(scoped(scope, seal.Evaluator(this.context)));
      this.encoder = scoped(scope, seal.BatchEncoder(this.context));
      this.noise = new NoiseModel({ n, p: set.plainModulus, dataModuli: primes.slice(0, -1), specialModulus: primes[dataCount]! });
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

  /** The data level whose parms_id is `words`, if any. */
  levelOf(words: BigUint64Array): Level | undefined {
    return this.levels.find((l) => l.parmsIdWords.every((w, i) => w === words[i]));
  }

  dispose(): void {
    this.#scope.dispose();
  }
}

const TRANSPARENT = 'result ciphertext is transparent';

/**
 * node-seal's SEAL is built with SEAL_THROW_ON_TRANSPARENT_CIPHERTEXT: an operation whose result has
 * c1 = 0 (a product with an all-zero weight plaintext, which packed kernels do meet, structurally or
 * because quantised weights are 0) throws after writing the correct result into its destination
 * (measured for products, additions, rotations, NTT transforms). Such a "transparent" ciphertext is a
 * valid intermediate — an encryption of zero with zero noise — so every evaluator call keeps its
 * result. None leaves the server: `finish` first adds a fresh public-key encryption of zero, and
 * `serialize` refuses them.
 */
function keepTransparentResults(evaluator: Evaluator): Evaluator {
  return new Proxy(evaluator, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key === 'delete') return value;
      return (...args: unknown[]) => {
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          if (error instanceof Error && error.message.includes(TRANSPARENT)) return undefined;
          throw error;
        }
      };
    },
  });
}
