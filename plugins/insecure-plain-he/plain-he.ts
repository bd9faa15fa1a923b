/**
 * INSECURE test double of `HeBackend`: "ciphertexts" are the plaintext slot vectors themselves.
 * It reproduces SEAL's batching semantics exactly (2 rows of n/2 slots, `rotateRows(k)` rotates
 * each row left by k, `rotateColumns` swaps the rows, values mod p) and SEAL's rule that a
 * rotation needs the Galois key of its step, so packed kernels can be property-tested fast over
 * many shapes. It also counts live handles, so tests can prove that kernels dispose everything.
 * Never selectable in a production configuration (security `insecure-test-only`).
 */
import { randomBytes } from '../../core/bytes.ts';
import { ProtocolError } from '../../core/errors.ts';
import type {
  FinishedCiphertext,
  HeBackend,
  HeCiphertext,
  HeClientKeys,
  HeParameters,
  HePlaintext,
  HeServerKeys,
} from '../../core/he.ts';
import { addMod, checkModulus, mulMod, subMod } from '../../core/modp.ts';

export interface PlainHeOptions {
  /** `fast` (n = 4096) or `secure` (n = 8192): the ring sizes of the real presets. */
  readonly preset?: 'fast' | 'secure';
  /** Overrides the preset's n (a power of two ≥ 4). */
  readonly polyModulusDegree?: number;
  /** Plaintext modulus; default 557057, GAZELLE's 20-bit prime (≡ 1 mod 2^15). */
  readonly plainModulus?: number;
}

const PRESET_DEGREE = { fast: 4096, secure: 8192 } as const;
const KEY_MAGIC = 0x4b454850; // 'PHEK'
const CIPHERTEXT_MAGIC = 0x43454850; // 'PHEC'
const KEY_ID_BYTES = 8;

class Handle {
  #disposed = false;
  constructor(
    protected readonly owner: PlainHeBackend,
    readonly what: string,
  ) {
    owner.liveHandles++;
  }
  belongsTo(backend: PlainHeBackend): boolean {
    return this.owner === backend;
  }
  protected alive(): void {
    if (this.#disposed) throw new Error(`insecure-plain-he: ${this.what} used after dispose()`);
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.owner.liveHandles--;
  }
}

class PlainCiphertext extends Handle implements HeCiphertext {
  readonly kind = 'ciphertext';
  readonly #slots: Uint32Array;
  constructor(owner: PlainHeBackend, slots: Uint32Array, readonly keyId: string) {
    super(owner, 'ciphertext');
    this.#slots = slots;
  }
  get slots(): Uint32Array {
    this.alive();
    return this.#slots;
  }
}

class PlainPlaintext extends Handle implements HePlaintext {
  readonly kind = 'plaintext';
  readonly #slots: Uint32Array;
  constructor(owner: PlainHeBackend, slots: Uint32Array) {
    super(owner, 'plaintext');
    this.#slots = slots;
  }
  get slots(): Uint32Array {
    this.alive();
    return this.#slots;
  }
}

type KeyKind = 'client-keys' | 'server-keys';

class PlainKeys<K extends KeyKind = KeyKind> extends Handle {
  constructor(
    owner: PlainHeBackend,
    readonly kind: K,
    readonly keyId: string,
    readonly galoisSteps: readonly number[],
  ) {
    super(owner, kind);
  }
  checkAlive(): void {
    this.alive();
  }
}

export class PlainHeBackend implements HeBackend {
  readonly name = 'insecure-plain-he';
  readonly params: HeParameters;
  /** Ciphertexts, plaintexts and keys created and not yet disposed. */
  liveHandles = 0;
  readonly #p: number;
  readonly #rowSize: number;

  constructor(options: PlainHeOptions = {}) {
    const n = options.polyModulusDegree ?? PRESET_DEGREE[options.preset ?? 'fast'];
    if (!Number.isInteger(n) || n < 4 || (n & (n - 1)) !== 0) throw new RangeError(`polyModulusDegree must be a power of two ≥ 4, got ${n}`);
    const p = options.plainModulus ?? 557057;
    checkModulus(p);
    this.#p = p;
    this.#rowSize = n / 2;
    this.params = {
      preset: options.polyModulusDegree === undefined ? (options.preset ?? 'fast') : 'custom',
      polyModulusDegree: n,
      slotCount: n,
      rowSize: n / 2,
      plainModulus: p,
      coeffModulusBits: [],
    };
  }

  // Client side -------------------------------------------------------------------------------
  liveObjects(): number {
    return this.liveHandles;
  }

  generateKeys(galoisSteps: readonly number[]): HeClientKeys {
    for (const step of galoisSteps) this.#checkStep(step);
    const id = Buffer.from(randomBytes(KEY_ID_BYTES)).toString('hex');
    return new PlainKeys(this, 'client-keys', id, [...new Set(galoisSteps)]);
  }

  exportServerKeys(keys: HeClientKeys): Uint8Array {
    const k = this.#keys(keys, 'client-keys');
    const bytes = new Uint8Array(12 + KEY_ID_BYTES + 4 * k.galoisSteps.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, KEY_MAGIC, true);
    view.setUint32(4, this.params.polyModulusDegree, true);
    bytes.set(Buffer.from(k.keyId, 'hex'), 8);
    view.setUint32(8 + KEY_ID_BYTES, k.galoisSteps.length, true);
    k.galoisSteps.forEach((step, i) => view.setInt32(12 + KEY_ID_BYTES + 4 * i, step, true));
    return bytes;
  }

  encryptSymmetric(values: Uint32Array, keys: HeClientKeys): Uint8Array {
    const k = this.#keys(keys, 'client-keys');
    return this.#serializeSlots(this.#checkSlots(values), k.keyId);
  }

  decrypt(ciphertext: HeCiphertext, keys: HeClientKeys): Uint32Array {
    const k = this.#keys(keys, 'client-keys');
    const c = this.#ct(ciphertext);
    if (c.keyId !== k.keyId) throw new RangeError('insecure-plain-he: ciphertext is under a different key');
    return c.slots.slice();
  }

  noiseBudget(ciphertext: HeCiphertext): number {
    void this.#ct(ciphertext).slots;
    return Number.POSITIVE_INFINITY;
  }

  // Server side -------------------------------------------------------------------------------
  importServerKeys(bytes: Uint8Array): HeServerKeys {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = 12 + KEY_ID_BYTES;
    if (bytes.length < header || view.getUint32(0, true) !== KEY_MAGIC) throw new ProtocolError('insecure-plain-he: server keys: bad header');
    if (view.getUint32(4, true) !== this.params.polyModulusDegree) throw new ProtocolError('insecure-plain-he: server keys: wrong ring dimension');
    const count = view.getUint32(8 + KEY_ID_BYTES, true);
    if (bytes.length !== header + 4 * count) throw new ProtocolError(`insecure-plain-he: server keys: ${bytes.length} bytes for ${count} steps`);
    const steps: number[] = [];
    for (let i = 0; i < count; i++) {
      const step = view.getInt32(header + 4 * i, true);
      if (Math.abs(step) >= this.#rowSize) throw new ProtocolError(`insecure-plain-he: server keys: invalid Galois step ${step}`);
      steps.push(step);
    }
    const id = Buffer.from(bytes.subarray(8, 8 + KEY_ID_BYTES)).toString('hex');
    return new PlainKeys(this, 'server-keys', id, steps);
  }

  encryptPublic(values: Uint32Array, keys: HeServerKeys): HeCiphertext {
    const k = this.#keys(keys, 'server-keys');
    return new PlainCiphertext(this, this.#checkSlots(values).slice(), k.keyId);
  }

  encode(values: Uint32Array): HePlaintext {
    return new PlainPlaintext(this, this.#checkSlots(values).slice());
  }

  encodeForMultiply(values: Uint32Array): HePlaintext {
    return this.encode(values);
  }

  add(a: HeCiphertext, b: HeCiphertext): HeCiphertext {
    const x = this.#ct(a);
    const out = this.#sameKey(x, this.#ct(b)).slots.slice();
    this.#addSlots(out, x.slots);
    return new PlainCiphertext(this, out, x.keyId);
  }

  addInPlace(a: HeCiphertext, b: HeCiphertext): void {
    const x = this.#ct(a);
    this.#addSlots(x.slots, this.#sameKey(x, this.#ct(b)).slots);
  }

  addPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    const x = this.#ct(a);
    const out = x.slots.slice();
    this.#addSlots(out, this.#pt(b).slots);
    return new PlainCiphertext(this, out, x.keyId);
  }

  subPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    const x = this.#ct(a);
    const y = this.#pt(b).slots;
    const src = x.slots;
    const out = new Uint32Array(src.length);
    const [p, sub] = [this.#p, subMod];
    for (let i = 0; i < out.length; i++) out[i] = sub(src[i]!, y[i]!, p);
    return new PlainCiphertext(this, out, x.keyId);
  }

  mulPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    const x = this.#ct(a);
    const y = this.#pt(b).slots;
    const src = x.slots;
    const [p, mul] = [this.#p, mulMod];
    const out = new Uint32Array(src.length);
    for (let i = 0; i < out.length; i++) out[i] = mul(src[i]!, y[i]!, p);
    return new PlainCiphertext(this, out, x.keyId);
  }

  rotateRows(a: HeCiphertext, steps: number, keys: HeServerKeys): HeCiphertext {
    const x = this.#ct(a);
    this.#checkStep(steps);
    if (steps === 0) throw new RangeError('rotateRows: step 0 is the identity (Galois step 0 means the column swap)');
    this.#needKey(keys, steps, x);
    const half = this.#rowSize;
    const shift = ((steps % half) + half) % half;
    const src = x.slots;
    const out = new Uint32Array(src.length);
    for (let row = 0; row < 2; row++) {
      const base = row * half;
      out.set(src.subarray(base + shift, base + half), base);
      out.set(src.subarray(base, base + shift), base + half - shift);
    }
    return new PlainCiphertext(this, out, x.keyId);
  }

  rotateColumns(a: HeCiphertext, keys: HeServerKeys): HeCiphertext {
    const x = this.#ct(a);
    this.#needKey(keys, 0, x);
    const half = this.#rowSize;
    const out = new Uint32Array(2 * half);
    out.set(x.slots.subarray(half), 0);
    out.set(x.slots.subarray(0, half), half);
    return new PlainCiphertext(this, out, x.keyId);
  }

  /** No noise, so no flooding: the margin is reported as 0 bits, honestly. */
  finish(a: HeCiphertext, keys: HeServerKeys): FinishedCiphertext {
    this.#keys(keys, 'server-keys');
    return { bytes: this.serialize(a), marginBits: 0 };
  }

  // Both sides --------------------------------------------------------------------------------
  serialize(ciphertext: HeCiphertext): Uint8Array {
    const c = this.#ct(ciphertext);
    return this.#serializeSlots(c.slots, c.keyId);
  }

  deserialize(bytes: Uint8Array): HeCiphertext {
    const n = this.params.polyModulusDegree;
    const header = 8 + KEY_ID_BYTES;
    if (bytes.length !== header + 4 * n) throw new ProtocolError(`insecure-plain-he: ciphertext must be ${header + 4 * n} bytes, got ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== CIPHERTEXT_MAGIC || view.getUint32(4, true) !== n) throw new ProtocolError('insecure-plain-he: ciphertext: bad header');
    const slots = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const v = view.getUint32(header + 4 * i, true);
      if (v >= this.#p) throw new ProtocolError(`insecure-plain-he: ciphertext slot ${i} holds ${v}, not reduced mod ${this.#p}`);
      slots[i] = v;
    }
    const id = Buffer.from(bytes.subarray(8, header)).toString('hex');
    return new PlainCiphertext(this, slots, id);
  }

  dispose(): void {}

  // -------------------------------------------------------------------------------------------
  #serializeSlots(slots: Uint32Array, keyId: string): Uint8Array {
    const header = 8 + KEY_ID_BYTES;
    const bytes = new Uint8Array(header + 4 * slots.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, CIPHERTEXT_MAGIC, true);
    view.setUint32(4, slots.length, true);
    bytes.set(Buffer.from(keyId, 'hex'), 8);
    slots.forEach((v, i) => view.setUint32(header + 4 * i, v, true));
    return bytes;
  }

  #checkSlots(values: Uint32Array): Uint32Array {
    if (!(values instanceof Uint32Array) || values.length !== this.params.slotCount) {
      throw new RangeError(`expected a Uint32Array of ${this.params.slotCount} slot values`);
    }
    const p = this.#p;
    for (let i = 0; i < values.length; i++) if (values[i]! >= p) throw new RangeError(`slot value ${values[i]} is not reduced mod ${p}`);
    return values;
  }

  #checkStep(step: number): void {
    if (!Number.isInteger(step) || Math.abs(step) >= this.#rowSize) {
      throw new RangeError(`Galois step must be an integer with |step| < ${this.#rowSize} (the row size), got ${step}`);
    }
  }

  /** SEAL maps step k and k − rowSize to the same Galois element; so does this double. */
  #needKey(keys: HeServerKeys, step: number, ct: PlainCiphertext): void {
    const k = this.#keys(keys, 'server-keys');
    if (k.keyId !== ct.keyId) throw new RangeError('insecure-plain-he: Galois keys belong to a different key pair');
    const half = this.#rowSize;
    const norm = (s: number) => ((s % half) + half) % half;
    if (!k.galoisSteps.some((s) => (step === 0 ? s === 0 : s !== 0 && norm(s) === norm(step)))) {
      throw new RangeError(`no Galois key for step ${step}: request it in generateKeys (have ${k.galoisSteps.join(', ')})`);
    }
  }

  #addSlots(dst: Uint32Array, src: Uint32Array): void {
    const [p, add] = [this.#p, addMod]; // hoisted: module bindings and private fields cost a call each
    for (let i = 0; i < dst.length; i++) dst[i] = add(dst[i]!, src[i]!, p);
  }

  #ct(c: HeCiphertext): PlainCiphertext {
    if (!(c instanceof PlainCiphertext) || !c.belongsTo(this)) throw new TypeError('insecure-plain-he: not a ciphertext of this backend');
    return c;
  }

  #pt(p: HePlaintext): PlainPlaintext {
    if (!(p instanceof PlainPlaintext) || !p.belongsTo(this)) throw new TypeError('insecure-plain-he: not a plaintext of this backend');
    return p;
  }

  #keys<K extends KeyKind>(k: HeClientKeys | HeServerKeys, kind: K): PlainKeys<K> {
    if (!(k instanceof PlainKeys) || k.kind !== kind || !k.belongsTo(this)) throw new TypeError(`insecure-plain-he: expected ${kind} of this backend`);
    k.checkAlive();
    return k as PlainKeys<K>;
  }

  #sameKey(a: PlainCiphertext, b: PlainCiphertext): PlainCiphertext {
    if (a.keyId !== b.keyId) throw new RangeError('insecure-plain-he: ciphertexts are under different keys');
    return b;
  }
}
