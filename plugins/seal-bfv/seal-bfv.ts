/**
 * `HeBackend` on node-seal 6 (Microsoft SEAL 4.1, BFV with batching), design §4-5.
 *
 * - Keys: the client keeps the secret key; the server gets the public key and Galois keys for exactly
 *   the rotation steps the model needs, both as SEAL's seeded serialisations (about half the bytes).
 * - Uploads: seeded symmetric encryption (c1 replaced by a 64-byte seed: about half the bytes of a
 *   public-key encryption).
 * - Products: `encodeForMultiply` returns the plaintext already in NTT form at the top level (the
 *   caller caches it: the server's weights are fixed); ciphertexts switch to NTT form lazily and
 *   cache it (handles.ts), so a product costs one pointwise multiplication.
 * - `finish`: re-randomise with a fresh public-key encryption of zero, flood c0 with uniform noise of
 *   2^floodBits, mod-switch to the last level (noise.ts has the bounds and the margin).
 * - Every byte from the peer is validated (seal-layout.ts) before node-seal loads it, and node-seal is
 *   never asked for a "transparent" result (products with all-zero plaintexts use `zeroProduct`,
 *   runtime.ts): an exception out of node-seal corrupts it (native-fault.ts).
 * - Every node-seal object is owned by a handle or a `DisposalScope` (native.ts).
 */
import { withScope, type DisposalScope } from '../../core/dispose.ts';
import { ConfigError, ProtocolError, SecurityError } from '../../core/errors.ts';
import type {
  FinishedCiphertext,
  HeBackend,
  HeCiphertext,
  HeClientKeys,
  HeParameters,
  HePlaintext,
  HeServerKeys,
} from '../../core/he.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import { addFlooding } from './flood.ts';
import { galoisElement, galoisKeyIndex } from './galois.ts';
import { SealCiphertext, SealClientKeys, SealPlaintext, SealServerKeys, type Form } from './handles.ts';
import { decodeKeyBundle, encodeKeyBundle } from './key-bundle.ts';
import { guardNative } from './native-fault.ts';
import { liveNativeObjects, Native, scoped } from './native.ts';
import type { NoiseModel } from './noise.ts';
import { resolveParameters, type ParameterOptions } from './params.ts';
import { SealRuntime, type CipherText, type PlainText } from './runtime.ts';
import { checkCiphertext, checkGaloisKeys, plaintextCoefficients, type CiphertextShape } from './seal-layout.ts';
import { loadSeal, type SealLibrary } from './seal-loader.ts';

export interface SealBfvOptions extends ParameterOptions {
  /** Required statistical margin of noise flooding, in bits (default 40). */
  readonly minMarginBits?: unknown;
  /** Accept parameters or ciphertexts whose margin is below `minMarginBits` (default false). */
  readonly acceptLowerMargin?: unknown;
}

const OPTION_KEYS = ['preset', 'polyModulusDegree', 'coeffModulusBits', 'plainModulus', 'plainModulusBits', 'minMarginBits', 'acceptLowerMargin'];
const DEFAULT_MIN_MARGIN_BITS = 40;

export interface SealBfvVariant {
  readonly name: string;
  /** `false` only for the deliberately leaky test plugin: `finish` returns the ciphertext as computed. */
  readonly flooding: boolean;
}

export class SealBfvBackend implements HeBackend {
  readonly name: string;
  readonly params: HeParameters;
  readonly flooding: boolean;
  readonly minMarginBits: number;
  readonly acceptLowerMargin: boolean;
  /** Flooding margin of the reference layer (fan-in n, noise.ts): what construction checks. */
  readonly referenceMarginBits: number;
  /** log2 of the top-level coefficient modulus Q (data primes only). */
  readonly log2CoeffModulus: number;
  readonly #rt: SealRuntime;
  readonly #none: SealLibrary['ComprModeType']['none'];

  /** Load node-seal (once per process) and build the backend; option problems are `ConfigError`s. */
  static async create(options: PluginOptions, variant: SealBfvVariant): Promise<SealBfvBackend> {
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) throw new ConfigError(`${variant.name}: unknown option "${key}"; valid options: ${OPTION_KEYS.join(', ')}`);
    }
    const opts = options as SealBfvOptions;
    const minMarginBits = opts.minMarginBits ?? DEFAULT_MIN_MARGIN_BITS;
    if (typeof minMarginBits !== 'number' || !Number.isFinite(minMarginBits) || minMarginBits < 0) {
      throw new ConfigError(`${variant.name}: "minMarginBits" must be a non-negative number, got ${JSON.stringify(minMarginBits)}`);
    }
    const accept = opts.acceptLowerMargin ?? false;
    if (typeof accept !== 'boolean') throw new ConfigError(`${variant.name}: "acceptLowerMargin" must be true or false`);
    const seal = await loadSeal();
    const runtime = new SealRuntime(seal, resolveParameters(seal, opts));
    try {
      return new SealBfvBackend(runtime, variant, minMarginBits, accept);
    } catch (error) {
      runtime.dispose();
      throw error;
    }
  }

  private constructor(runtime: SealRuntime, variant: SealBfvVariant, minMarginBits: number, acceptLowerMargin: boolean) {
    this.#rt = runtime;
    this.name = variant.name;
    this.flooding = variant.flooding;
    this.params = runtime.params;
    this.minMarginBits = minMarginBits;
    this.acceptLowerMargin = acceptLowerMargin;
    this.log2CoeffModulus = runtime.noise.log2Q;
    this.referenceMarginBits = runtime.noise.marginBits(runtime.noise.referenceLayerBound());
    this.#none = runtime.seal.ComprModeType.none;
    if (this.flooding && this.referenceMarginBits < minMarginBits && !acceptLowerMargin) {
      throw new SecurityError(
        `${this.name}: preset "${this.params.preset}" (n = ${this.params.polyModulusDegree}, log2 q = ${this.log2CoeffModulus.toFixed(1)}) ` +
          `floods a layer of fan-in n with only ${this.referenceMarginBits.toFixed(1)} bits of statistical margin, ` +
          `below the required ${minMarginBits}; use preset "secure", a larger coefficient modulus, or set "acceptLowerMargin": true`,
      );
    }
  }

  /** The worst-case noise model of these parameters (public: bounds depend on no secret). */
  get noise(): NoiseModel {
    return this.#rt.noise;
  }

  /** The data primes q_0 … q_{L−1} of the top level (public parameters), one RNS limb each. */
  get coefficientModuli(): readonly bigint[] {
    return this.#rt.top.moduli;
  }

  /** Statistical margin (bits) `finish` would achieve on `ciphertext` (its noise bound is public). */
  marginBits(ciphertext: HeCiphertext): number {
    return this.#rt.noise.marginBits(this.#ct(ciphertext).bound);
  }

  // Client side -------------------------------------------------------------------------------

  generateKeys(galoisSteps: readonly number[]): HeClientKeys {
    const { steps } = this.#steps(galoisSteps, (m) => new RangeError(m));
    const rt = this.#rt;
    return withScope((scope) => {
      const keygen = scoped(scope, rt.seal.KeyGenerator(rt.context));
      const secretKey = scope.track(new Native(keygen.secretKey()));
      const publicKey = scope.track(new Native(keygen.createPublicKey()));
      const encryptor = scope.track(new Native(rt.seal.Encryptor(rt.context, publicKey.value, secretKey.value)));
      const decryptor = scope.track(new Native(rt.seal.Decryptor(rt.context, secretKey.value)));
      const bundle = encodeKeyBundle({
        n: this.params.polyModulusDegree,
        p: this.params.plainModulus,
        steps,
        publicKey: scoped(scope, keygen.createPublicKeySerializable()).saveArray(this.#none),
        galoisKeys:
          steps.length > 0 ? scoped(scope, keygen.createGaloisKeysSerializable(Int32Array.from(steps))).saveArray(this.#none) : new Uint8Array(0),
      });
      const natives = { secretKey, publicKey, encryptor, decryptor };
      for (const native of Object.values(natives)) scope.keep(native);
      return new SealClientKeys(rt, steps, natives, bundle);
    });
  }

  exportServerKeys(keys: HeClientKeys): Uint8Array {
    return this.#clientKeys(keys).serverKeyBytes.slice();
  }

  encryptSymmetric(values: Uint32Array, keys: HeClientKeys): Uint8Array {
    const k = this.#clientKeys(keys);
    return withScope((scope) => {
      const plain = this.#encodeNative(scope, values);
      return scoped(scope, k.encryptor.encryptSymmetricSerializable(plain)).saveArray(this.#none);
    });
  }

  decrypt(ciphertext: HeCiphertext, keys: HeClientKeys): Uint32Array {
    const c = this.#ct(ciphertext).get('coefficient');
    const k = this.#clientKeys(keys);
    return withScope((scope) => {
      const plain = scoped(scope, this.#rt.seal.PlainText());
      k.decryptor.decrypt(c, plain);
      return Uint32Array.from(this.#rt.encoder.decode(plain, false));
    });
  }

  noiseBudget(ciphertext: HeCiphertext, keys: HeClientKeys): number {
    return this.#clientKeys(keys).decryptor.invariantNoiseBudget(this.#ct(ciphertext).get('coefficient'));
  }

  /**
   * Invariant noise ν_i = (p/Q)·[c0 + c1·s]_Q − m_i of every coefficient (decryption is correct while
   * all |ν_i| < 1/2). node-seal exposes no raw decryption, so the noise is read digit by digit in base
   * a = (p−1)/2: subtract the decrypted message (an encryption of 0 with noise ν remains), multiply by
   * the constant a (noise a·ν, still below p/2) and decrypt: each coefficient is the digit round(a·ν_i);
   * subtract it and repeat. Each subtraction rounds by ≤ 1/2 (≤ p/(2Q) in ν), which the next products
   * amplify, so the digits stop where that error would reach 1/16 of one (one digit, 2/(p−1), at small
   * last-level moduli; 3 at Q = 2^72; 7 at the secure preset's top level, resolution a^−7 ≈ 2^−127,
   * where an unflooded ciphertext's noise of about 2^−100 would read as 0 with fewer: the privacy
   * audit compares exactly that noise across weights).
   */
  decryptionNoise(ciphertext: HeCiphertext, keys: HeClientKeys): Float64Array {
    const x = this.#ct(ciphertext);
    const k = this.#clientKeys(keys);
    const { seal, evaluator, levels } = this.#rt;
    const { polyModulusDegree: n, plainModulus: p } = this.params;
    const a = (p - 1) / 2;
    const log2Q = levels[x.level]!.moduli.reduce((s, q) => s + Math.log2(Number(q)), 0);
    const digits = Math.max(1, Math.floor((log2Q - Math.log2(p) + 1 - 4) / Math.log2(a)));
    return withScope((scope) => {
      const constant = this.#encodeNative(scope, new Uint32Array(n).fill(a));
      const plain = scoped(scope, seal.PlainText());
      const current = scoped(scope, seal.CipherText());
      k.decryptor.decrypt(x.get('coefficient'), plain);
      evaluator.subPlain(x.get('coefficient'), plain, current);
      const noise = new Float64Array(n);
      for (let d = 1; d <= digits; d++) {
        evaluator.multiplyPlain(current, constant, current);
        k.decryptor.decrypt(current, plain);
        const digit = plaintextCoefficients(plain.saveArray(this.#none), n);
        const weight = a ** -d;
        for (let i = 0; i < n; i++) {
          const v = Number(digit[i]);
          noise[i]! += (v > p / 2 ? v - p : v) * weight;
        }
        if (d < digits) evaluator.subPlain(current, plain, current);
      }
      return noise;
    });
  }

  /** node-seal objects alive in this thread (every backend of the thread counts together). */
  liveObjects(): number {
    return liveNativeObjects();
  }

  // Server side -------------------------------------------------------------------------------

  importServerKeys(bytes: Uint8Array): HeServerKeys {
    const rt = this.#rt;
    const { polyModulusDegree: n, plainModulus: p } = this.params;
    const bundle = decodeKeyBundle(bytes, { n, p });
    const { steps, elements } = this.#steps(bundle.steps, (m) => new ProtocolError(`seal-bfv server keys: ${m}`));
    const keyShape = { parmsId: rt.keyLevel.parmsIdWords, n, moduli: rt.keyLevel.moduli, ntt: true };
    checkCiphertext(bundle.publicKey, keyShape, 'seal-bfv server keys: public key');
    if (steps.length > 0) {
      const indices = new Set([...elements].map(galoisKeyIndex));
      checkGaloisKeys(bundle.galoisKeys, keyShape, rt.top.moduli.length, indices, 'seal-bfv server keys: Galois keys');
    } else if (bundle.galoisKeys.length !== 0) {
      throw new ProtocolError('seal-bfv server keys: Galois keys sent without any rotation step');
    }
    return withScope((scope) => {
      const publicKey = scope.track(new Native(rt.seal.PublicKey()));
      loadPeerData('server keys: public key', () => publicKey.value.loadArray(rt.context, bundle.publicKey));
      let galoisKeys: Native<ReturnType<typeof rt.seal.GaloisKeys>> | undefined;
      if (steps.length > 0) {
        const gk = scope.track(new Native(rt.seal.GaloisKeys()));
        loadPeerData('server keys: Galois keys', () => gk.value.loadArray(rt.context, bundle.galoisKeys));
        galoisKeys = gk;
      }
      const encryptor = scope.track(new Native(rt.seal.Encryptor(rt.context, publicKey.value)));
      for (const native of [publicKey, encryptor, galoisKeys]) if (native) scope.keep(native);
      return new SealServerKeys(rt, steps, elements, { publicKey, encryptor, galoisKeys });
    });
  }

  encryptPublic(values: Uint32Array, keys: HeServerKeys): HeCiphertext {
    const k = this.#serverKeys(keys);
    return withScope((scope) => {
      const plain = this.#encodeNative(scope, values);
      return this.#produce('coefficient', this.#rt.noise.publicKey, this.#rt.top.index, (dst) => k.encryptor.encrypt(plain, dst));
    });
  }

  encode(values: Uint32Array): HePlaintext {
    const plain = new Native(this.#rt.seal.PlainText());
    try {
      this.#rt.encoder.encode(this.#slots(values), plain.value);
    } catch (error) {
      plain.dispose();
      throw error;
    }
    return new SealPlaintext(this.#rt, 'coefficient', plain, isZero(values));
  }

  /** All-zero weights encode to no native plaintext: their products use the runtime's zero product (runtime.ts). */
  encodeForMultiply(values: Uint32Array): HePlaintext {
    const rt = this.#rt;
    if (isZero(this.#slots(values))) return new SealPlaintext(rt, 'ntt', undefined, true);
    return withScope((scope) => {
      const coefficients = this.#encodeNative(scope, values);
      const ntt = scope.track(new Native(rt.seal.PlainText()));
      rt.evaluator.plainTransformToNtt(coefficients, rt.top.parmsId, ntt.value);
      return new SealPlaintext(rt, 'ntt', scope.keep(ntt), false);
    });
  }

  add(a: HeCiphertext, b: HeCiphertext): HeCiphertext {
    const [x, y] = this.#pair(a, b);
    const form = meetingForm(x, y);
    return this.#produce(form, this.#rt.noise.add(x.bound, y.bound), x.level, (dst) => this.#rt.evaluator.add(x.get(form), y.get(form), dst));
  }

  addInPlace(a: HeCiphertext, b: HeCiphertext): void {
    const [x, y] = this.#pair(a, b);
    const form = meetingForm(x, y);
    const addend = y.get(form);
    const target = x.mutable(form);
    this.#rt.evaluator.add(target, addend, target);
    x.bound = this.#rt.noise.add(x.bound, y.bound);
  }

  addPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    const x = this.#ct(a);
    const plain = this.#coefficientPlain(b, 'addPlain');
    return this.#produce('coefficient', this.#rt.noise.addPlain(x.bound), x.level, (dst) =>
      this.#rt.evaluator.addPlain(x.get('coefficient'), plain, dst),
    );
  }

  subPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    const x = this.#ct(a);
    const plain = this.#coefficientPlain(b, 'subPlain');
    return this.#produce('coefficient', this.#rt.noise.addPlain(x.bound), x.level, (dst) =>
      this.#rt.evaluator.subPlain(x.get('coefficient'), plain, dst),
    );
  }

  mulPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    const x = this.#ct(a);
    const plain = this.#pt(b);
    if (plain.form === 'ntt' && x.level !== this.#rt.top.index) {
      throw new RangeError('mulPlain: plaintexts from encodeForMultiply are at the top level; this ciphertext was mod-switched below it');
    }
    // An NTT plaintext multiplies the cached NTT form pointwise; a coefficient one goes through SEAL's
    // general product (which transforms both operands every time). A zero one, never handed to SEAL
    // (its product would be "transparent": runtime.ts), is replaced by the zero product.
    const form: Form = plain.zero ? 'ntt' : plain.form;
    const factor = plain.zero ? this.#rt.zeroProduct(this.#rt.levels[x.level]!) : plain.value;
    return this.#produce(form, this.#rt.noise.mulPlain(x.bound), x.level, (dst) => this.#rt.evaluator.multiplyPlain(x.get(form), factor, dst));
  }

  rotateRows(a: HeCiphertext, steps: number, keys: HeServerKeys): HeCiphertext {
    if (steps === 0) throw new RangeError('rotateRows: step 0 is the identity (Galois step 0 means the column swap: use rotateColumns)');
    const x = this.#ct(a);
    const galoisKeys = this.#galoisKeys(keys, steps);
    return this.#produce('coefficient', this.#rt.noise.rotate(x.bound), x.level, (dst) =>
      this.#rt.evaluator.rotateRows(x.get('coefficient'), steps, galoisKeys, dst),
    );
  }

  rotateColumns(a: HeCiphertext, keys: HeServerKeys): HeCiphertext {
    const x = this.#ct(a);
    const galoisKeys = this.#galoisKeys(keys, 0);
    return this.#produce('coefficient', this.#rt.noise.rotate(x.bound), x.level, (dst) =>
      this.#rt.evaluator.rotateColumns(x.get('coefficient'), galoisKeys, dst),
    );
  }

  finish(a: HeCiphertext, keys: HeServerKeys, minMarginBits = 0): FinishedCiphertext {
    const x = this.#ct(a);
    const k = this.#serverKeys(keys);
    if (!this.flooding) return { bytes: x.get('coefficient').saveArray(this.#none), marginBits: 0 };
    const rt = this.#rt;
    const top = rt.top;
    if (x.level !== top.index) throw new RangeError('finish: expects a ciphertext at the top level (as computed, not mod-switched)');
    const marginBits = rt.noise.marginBits(x.bound);
    const required = Math.max(this.minMarginBits, minMarginBits);
    if (marginBits < required && !this.acceptLowerMargin) {
      throw new SecurityError(
        `${this.name}: this ciphertext's noise bound (2^${Math.log2(x.bound).toFixed(1)}) leaves a flooding margin of ` +
          `${marginBits.toFixed(1)} bits, below the required ${required.toFixed(1)}; use larger parameters, fewer operations per ` +
          'returned ciphertext, or set "acceptLowerMargin": true',
      );
    }
    const n = this.params.polyModulusDegree;
    return withScope((scope) => {
      const zero = scoped(scope, rt.seal.CipherText());
      k.encryptor.encryptZero(zero);
      const flooded = scoped(scope, rt.seal.CipherText());
      rt.evaluator.add(x.get('coefficient'), zero, flooded);
      const bytes = flooded.saveArray(this.#none);
      const { dataOffset } = checkCiphertext(bytes, this.#shape(top.index, false), 'finish');
      const end = dataOffset + 8 * n * top.moduli.length;
      const c0 = new BigUint64Array(bytes.slice(dataOffset, end).buffer);
      addFlooding(c0, n, top.moduli, rt.noise.floodBits);
      bytes.set(new Uint8Array(c0.buffer), dataOffset);
      guardNative('CipherText.loadArray', () => flooded.loadArray(rt.context, bytes));
      // The top-level flooded ciphertext holds more than what is sent: wipe the JS copies.
      c0.fill(0n);
      bytes.fill(0);
      rt.evaluator.cipherModSwitchTo(flooded, rt.last.parmsId, flooded);
      return { bytes: flooded.saveArray(this.#none), marginBits };
    });
  }

  // Both sides --------------------------------------------------------------------------------

  serialize(ciphertext: HeCiphertext): Uint8Array {
    const c = this.#ct(ciphertext).get('coefficient');
    if (c.isTransparent) {
      throw new SecurityError(`${this.name}: refusing to serialise a transparent ciphertext (c1 = 0, its plaintext is readable); return results with finish()`);
    }
    return c.saveArray(this.#none);
  }

  deserialize(bytes: Uint8Array): HeCiphertext {
    if (!(bytes instanceof Uint8Array)) throw new ProtocolError('seal-bfv ciphertext: expected bytes');
    const parmsAt = 16;
    if (bytes.length < parmsAt + 32) throw new ProtocolError(`seal-bfv ciphertext: ${bytes.length} bytes is too short`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const words = BigUint64Array.from({ length: 4 }, (_, i) => view.getBigUint64(parmsAt + 8 * i, true));
    const level = this.#rt.levelOf(words);
    if (!level) throw new ProtocolError('seal-bfv ciphertext: its encryption parameters (parms_id) match no level of this backend');
    checkCiphertext(bytes, this.#shape(level.index, undefined), 'seal-bfv ciphertext');
    // Peer ciphertexts are fresh client encryptions (semi-honest model): public-key bound ≥ symmetric.
    return this.#produce('coefficient', this.#rt.noise.publicKey, level.index, (dst) =>
      loadPeerData('ciphertext', () => dst.loadArray(this.#rt.context, bytes)),
    );
  }

  dispose(): void {
    this.#rt.dispose();
  }

  // -------------------------------------------------------------------------------------------

  #produce(form: Form, bound: number, level: number, compute: (dst: CipherText) => void): SealCiphertext {
    const out = new Native(this.#rt.seal.CipherText());
    try {
      compute(out.value);
    } catch (error) {
      out.dispose();
      throw error;
    }
    return new SealCiphertext(this.#rt, form, out, bound, level);
  }

  #shape(level: number, seeded: boolean | undefined): CiphertextShape {
    const l = this.#rt.levels[level]!;
    return { parmsId: l.parmsIdWords, n: this.params.polyModulusDegree, moduli: l.moduli, ntt: false, seeded };
  }

  #encodeNative(scope: DisposalScope, values: Uint32Array): PlainText {
    const plain = scoped(scope, this.#rt.seal.PlainText());
    this.#rt.encoder.encode(this.#slots(values), plain);
    return plain;
  }

  #slots(values: Uint32Array): Uint32Array {
    const { slotCount, plainModulus: p } = this.params;
    if (!(values instanceof Uint32Array) || values.length !== slotCount) {
      throw new RangeError(`expected a Uint32Array of ${slotCount} slot values`);
    }
    for (let i = 0; i < values.length; i++) {
      if (values[i]! >= p) throw new RangeError(`slot ${i} holds ${values[i]}, not reduced mod p = ${p}`);
    }
    return values;
  }

  /** Validate steps; keep the first of any that share a Galois element (SEAL: k and k − n/2 coincide). */
  #steps(raw: readonly number[], error: (message: string) => Error): { steps: number[]; elements: Set<number> } {
    const n = this.params.polyModulusDegree;
    const steps: number[] = [];
    const elements = new Set<number>();
    for (const step of raw) {
      let element: number;
      try {
        element = galoisElement(step, n);
      } catch (e) {
        throw error((e as Error).message);
      }
      if (!elements.has(element)) {
        elements.add(element);
        steps.push(step);
      }
    }
    return { steps, elements };
  }

  #galoisKeys(keys: HeServerKeys, step: number): NonNullable<SealServerKeys['galoisKeys']> {
    const k = this.#serverKeys(keys);
    const element = galoisElement(step, this.params.polyModulusDegree);
    if (!k.galoisElements.has(element) || !k.galoisKeys) {
      throw new RangeError(`no Galois key for step ${step}: request it in generateKeys (have ${k.galoisSteps.join(', ') || 'none'})`);
    }
    return k.galoisKeys;
  }

  #ct(c: HeCiphertext): SealCiphertext {
    if (!(c instanceof SealCiphertext) || c.runtime !== this.#rt) throw new TypeError(`${this.name}: not a ciphertext of this backend`);
    return c;
  }

  #pair(a: HeCiphertext, b: HeCiphertext): [SealCiphertext, SealCiphertext] {
    const x = this.#ct(a);
    const y = this.#ct(b);
    if (x.level !== y.level) throw new RangeError(`ciphertexts at different modulus levels (${x.level} and ${y.level})`);
    return [x, y];
  }

  #pt(p: HePlaintext): SealPlaintext {
    if (!(p instanceof SealPlaintext) || p.runtime !== this.#rt) throw new TypeError(`${this.name}: not a plaintext of this backend`);
    return p;
  }

  #coefficientPlain(p: HePlaintext, op: string): PlainText {
    const plain = this.#pt(p);
    if (plain.form !== 'coefficient') throw new TypeError(`${op}: plaintexts from encodeForMultiply (NTT form) only multiply; use encode()`);
    return plain.value;
  }

  #clientKeys(k: HeClientKeys): SealClientKeys {
    if (!(k instanceof SealClientKeys) || k.runtime !== this.#rt) throw new TypeError(`${this.name}: expected client keys of this backend`);
    return k;
  }

  #serverKeys(k: HeServerKeys): SealServerKeys {
    if (!(k instanceof SealServerKeys) || k.runtime !== this.#rt) throw new TypeError(`${this.name}: expected server keys of this backend`);
    return k;
  }
}

/**
 * The representation in which to add x and y: one both already hold (NTT first: sums of products live
 * there), else the addend's, so a rotated (coefficient) term added to a product accumulator converts
 * the accumulator once, which the next rotation needs anyway.
 */
function meetingForm(x: SealCiphertext, y: SealCiphertext): Form {
  if (x.has('ntt') && y.has('ntt')) return 'ntt';
  if (x.has('coefficient') && y.has('coefficient')) return 'coefficient';
  return y.has('ntt') ? 'ntt' : 'coefficient';
}

/**
 * Load peer bytes that seal-layout.ts has validated as SEAL would: SEAL rejecting them anyway would be
 * a gap in that validation, and its exception corrupts node-seal, so it faults the library (native-fault.ts).
 */
function loadPeerData(what: string, load: () => void): void {
  guardNative(`loading the peer's ${what}`, load);
}

function isZero(values: Uint32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}
