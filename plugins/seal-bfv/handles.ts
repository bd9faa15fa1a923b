/**
 * Handles over node-seal objects. A ciphertext keeps up to two representations of the same value:
 * coefficient form (what rotations, plaintext additions, decryption and serialisation need) and NTT
 * form (what a product with an NTT plaintext needs). Each is computed on demand and cached until the
 * value changes, so a rotated input multiplied by many weight diagonals is transformed once, and a sum
 * of products stays in NTT form until something needs coefficients (one inverse transform).
 */
import type { Disposable } from '../../core/dispose.ts';
import type { HeCiphertext, HeClientKeys, HePlaintext, HeServerKeys } from '../../core/he.ts';
import { Native } from './native.ts';
import type { CipherText, PlainText, SealRuntime } from './runtime.ts';
import type { SealLibrary } from './seal-loader.ts';

type Encryptor = ReturnType<SealLibrary['Encryptor']>;
type Decryptor = ReturnType<SealLibrary['Decryptor']>;
type SecretKey = ReturnType<SealLibrary['SecretKey']>;
type PublicKey = ReturnType<SealLibrary['PublicKey']>;
type GaloisKeys = ReturnType<SealLibrary['GaloisKeys']>;

export type Form = 'coefficient' | 'ntt';

export class SealCiphertext implements HeCiphertext {
  readonly kind = 'ciphertext';
  #forms: Partial<Record<Form, Native<CipherText>>> = {};
  #disposed = false;

  /**
   * @param bound worst-case noise bound (noise.ts), absolute at this ciphertext's level
   * @param level chain index of its modulus level
   */
  constructor(
    readonly runtime: SealRuntime,
    form: Form,
    value: Native<CipherText>,
    public bound: number,
    readonly level: number,
  ) {
    this.#forms[form] = value;
  }

  has(form: Form): boolean {
    this.#alive();
    return this.#forms[form] !== undefined;
  }

  /** The value in `form`, transformed (and cached) if needed. */
  get(form: Form): CipherText {
    this.#alive();
    const cached = this.#forms[form];
    if (cached) return cached.value;
    const source = this.#forms[form === 'ntt' ? 'coefficient' : 'ntt']!.value;
    const out = new Native(this.runtime.seal.CipherText());
    try {
      if (form === 'ntt') this.runtime.evaluator.cipherTransformToNtt(source, out.value);
      else this.runtime.evaluator.cipherTransformFromNtt(source, out.value);
    } catch (error) {
      out.dispose();
      throw error;
    }
    this.#forms[form] = out;
    return out.value;
  }

  /** The value in `form`, for modification in place: every other cached form becomes stale and is dropped. */
  mutable(form: Form): CipherText {
    const value = this.get(form);
    const other: Form = form === 'ntt' ? 'coefficient' : 'ntt';
    this.#forms[other]?.dispose();
    delete this.#forms[other];
    return value;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#forms.coefficient?.dispose();
    this.#forms.ntt?.dispose();
    this.#forms = {};
  }

  #alive(): void {
    if (this.#disposed) throw new Error('seal-bfv: ciphertext used after dispose()');
  }
}

export class SealPlaintext implements HePlaintext {
  readonly kind = 'plaintext';

  /**
   * `ntt`: from `encodeForMultiply`, at the top level; `coefficient`: from `encode`. `zero`: every
   * slot is 0, so products use the runtime's zero product instead (runtime.ts); an NTT-form zero
   * holds no native plaintext at all.
   */
  constructor(
    readonly runtime: SealRuntime,
    readonly form: Form,
    readonly native: Native<PlainText> | undefined,
    readonly zero: boolean,
  ) {}

  get value(): PlainText {
    if (!this.native) throw new Error('seal-bfv: an all-zero NTT plaintext has no native value (products use the zero product)');
    return this.native.value;
  }

  dispose(): void {
    this.native?.dispose();
  }
}

/** Owns a list of natives; disposing it releases them all (newest first), once. */
abstract class NativeBundle implements Disposable {
  readonly #owned: Native<{ delete(): void }>[] = [];

  protected own<T extends { delete(): void }>(native: Native<T>): T {
    this.#owned.push(native);
    return native.value;
  }

  dispose(): void {
    for (let i = this.#owned.length - 1; i >= 0; i--) this.#owned[i]!.dispose();
  }
}

export class SealClientKeys extends NativeBundle implements HeClientKeys {
  readonly kind = 'client-keys';
  readonly secretKey: SecretKey;
  readonly encryptor: Encryptor;
  readonly decryptor: Decryptor;

  constructor(
    readonly runtime: SealRuntime,
    readonly galoisSteps: readonly number[],
    natives: { secretKey: Native<SecretKey>; publicKey: Native<PublicKey>; encryptor: Native<Encryptor>; decryptor: Native<Decryptor> },
    /** What `exportServerKeys` returns (serialised once, at generation). */
    readonly serverKeyBytes: Uint8Array,
  ) {
    super();
    this.secretKey = this.own(natives.secretKey);
    this.own(natives.publicKey);
    this.encryptor = this.own(natives.encryptor);
    this.decryptor = this.own(natives.decryptor);
  }
}

export class SealServerKeys extends NativeBundle implements HeServerKeys {
  readonly kind = 'server-keys';
  readonly encryptor: Encryptor;
  readonly galoisKeys: GaloisKeys | undefined;

  constructor(
    readonly runtime: SealRuntime,
    readonly galoisSteps: readonly number[],
    /** Galois elements the keys cover. */
    readonly galoisElements: ReadonlySet<number>,
    natives: { publicKey: Native<PublicKey>; encryptor: Native<Encryptor>; galoisKeys: Native<GaloisKeys> | undefined },
  ) {
    super();
    this.own(natives.publicKey);
    this.encryptor = this.own(natives.encryptor);
    this.galoisKeys = natives.galoisKeys ? this.own(natives.galoisKeys) : undefined;
  }
}
