/**
 * SEAL 4.1's documented serialisation layout, read and checked in JS before node-seal sees the bytes:
 * a malformed length can abort the wasm module (measured: a ciphertext 8 bytes short aborts it), so
 * every byte from a peer is validated structurally here and garbage becomes a `ProtocolError`.
 * Only uncompressed (`compr_mode_type::none`) data is accepted: its sizes are exact.
 *
 * Header (16 B): u16 magic 0xA15E, u8 header size 16, u8 version major 4, u8 minor 1, u8 compression,
 * u16 reserved 0, u64 total size. Ciphertext (and PublicKey) members: parms_id (4 × u64), u8 is_ntt_form,
 * u64 size (polys), u64 n, u64 RNS limb count, f64 scale, u64 correction factor, then the coefficients as
 * a DynArray (header, u64 count, count × u64, layout poly-major, then limb, then coefficient) — for a
 * seeded ciphertext only c0, followed by the PRNG info (header, u8 PRNG type, 64-byte seed) from which
 * SEAL regenerates c1. KSwitchKeys (Galois keys): parms_id, u64 outer count, then per entry a u64 count
 * and that many PublicKeys, each with its own header.
 *
 * Beyond the structure, what SEAL itself would reject is rejected here too, since an exception out of
 * node-seal corrupts it (native-fault.ts): a coefficient of limb i that is not below q_i, a PRNG type
 * other than SEAL's two (1: BLAKE2xb, 2: SHAKE256), and a stored c1 that is all zero (a "transparent"
 * ciphertext: its plaintext is readable, and every SEAL operation on it throws).
 */
import { ProtocolError } from '../../core/errors.ts';

const MAGIC = 0xa15e;
const HEADER_BYTES = 16;
const VERSION_MAJOR = 4;
const VERSION_MINOR = 1;
const PARMS_ID_WORDS = 4;
/** Ciphertext members before the DynArray: parms_id, is_ntt_form, size, n, limbs, scale, correction factor. */
const CIPHERTEXT_FIXED_BYTES = 8 * PARMS_ID_WORDS + 1 + 8 * 5;
const SEED_INFO_BYTES = HEADER_BYTES + 1 + 64;
/** SEAL's `prng_type` values it can expand a seed with: blake2xb, shake256. */
const PRNG_TYPES: readonly number[] = [1, 2];

export type ParmsId = BigUint64Array;

/** What a ciphertext record must look like. */
export interface CiphertextShape {
  readonly parmsId: ParmsId;
  readonly n: number;
  /** The primes of the record's level, one RNS limb each (coefficients of limb i must be below q_i). */
  readonly moduli: readonly bigint[];
  readonly ntt: boolean;
  /** `true`: c1 replaced by a seed; `false`: both polynomials; `undefined`: either. */
  readonly seeded?: boolean;
}

export interface CiphertextRecord {
  readonly seeded: boolean;
  /** Byte offset of the first coefficient (c0, limb 0, coefficient 0). */
  readonly dataOffset: number;
  /** Number of u64 coefficients stored. */
  readonly count: number;
}

/** Sequential reader over little-endian bytes; every read past the end is a `ProtocolError`. */
export class LayoutReader {
  readonly #view: DataView;
  offset = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
  ) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(reason: string, at = this.offset): never {
    throw new ProtocolError(`${this.what}: ${reason} (at byte ${at} of ${this.bytes.length})`);
  }

  #need(count: number): number {
    if (this.offset + count > this.bytes.length) this.fail(`truncated: needs ${count} more bytes`);
    const at = this.offset;
    this.offset += count;
    return at;
  }

  u8(): number {
    return this.#view.getUint8(this.#need(1));
  }

  u64(): bigint {
    return this.#view.getBigUint64(this.#need(8), true);
  }

  /** A u64 that must fit a safe JS number (counts, sizes). */
  count(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`count ${v} is absurd`);
    return Number(v);
  }

  f64(): number {
    return this.#view.getFloat64(this.#need(8), true);
  }

  skip(count: number): number {
    return this.#need(count);
  }

  expectEnd(): void {
    if (this.offset !== this.bytes.length) this.fail(`${this.bytes.length - this.offset} unexpected trailing bytes`);
  }

  /** A SEAL header whose declared size must be exactly the bytes it covers, from here. */
  header(): void {
    const start = this.offset;
    const magic = this.u8() | (this.u8() << 8);
    if (magic !== MAGIC) this.fail(`not SEAL data (magic 0x${magic.toString(16)})`);
    if (this.u8() !== HEADER_BYTES) this.fail('bad SEAL header size');
    const major = this.u8();
    const minor = this.u8();
    if (major !== VERSION_MAJOR || minor !== VERSION_MINOR) this.fail(`SEAL version ${major}.${minor}, expected ${VERSION_MAJOR}.${VERSION_MINOR}`);
    if (this.u8() !== 0) this.fail('compressed data is not accepted (uncompressed only)');
    if (this.u8() !== 0 || this.u8() !== 0) this.fail('reserved header bytes are not zero');
    const size = this.count();
    if (start + size > this.bytes.length) this.fail(`truncated: declares ${size} bytes, only ${this.bytes.length - start} present`);
    this.sectionEnd = start + size;
  }

  /** End of the most recent header's section. */
  sectionEnd = 0;

  parmsId(expected: ParmsId): void {
    for (let i = 0; i < PARMS_ID_WORDS; i++) {
      if (this.u64() !== expected[i]) this.fail('encryption parameters (parms_id) do not match this backend');
    }
  }
}

/** Read a Ciphertext/PublicKey record (header included) of the expected shape. */
export function readCiphertext(r: LayoutReader, shape: CiphertextShape): CiphertextRecord {
  r.header();
  const end = r.sectionEnd;
  r.parmsId(shape.parmsId);
  const ntt = r.u8();
  if (ntt !== (shape.ntt ? 1 : 0)) r.fail(`NTT flag ${ntt}, expected ${shape.ntt ? 1 : 0}`);
  if (r.count() !== 2) r.fail('a ciphertext must have exactly 2 polynomials');
  if (r.count() !== shape.n) r.fail(`ring dimension differs from ${shape.n}`);
  const limbs = shape.moduli.length;
  if (r.count() !== limbs) r.fail(`expected ${limbs} RNS limbs at this level`);
  if (r.f64() !== 1) r.fail('BFV scale must be 1');
  if (r.u64() !== 1n) r.fail('BFV correction factor must be 1');
  r.header();
  const count = r.count();
  const full = 2 * limbs * shape.n;
  const seeded = count === full / 2;
  if (count !== full && !seeded) r.fail(`${count} coefficients, expected ${full} (or ${full / 2} when seeded)`);
  if (shape.seeded !== undefined && seeded !== shape.seeded) r.fail(seeded ? 'seeded data not expected here' : 'seeded data expected');
  if (r.sectionEnd !== r.offset + 8 * count) r.fail('coefficient array size mismatch');
  const dataOffset = r.skip(8 * count);
  checkResidues(r, dataOffset, seeded ? 1 : 2, shape);
  if (!seeded && allZero(r.bytes, dataOffset + 4 * count, 4 * count)) r.fail('c1 is zero: a transparent ciphertext (its plaintext is readable)');
  if (seeded) {
    r.header();
    if (r.sectionEnd !== r.offset + SEED_INFO_BYTES - HEADER_BYTES) r.fail('bad PRNG seed record size');
    const prng = r.u8();
    if (!PRNG_TYPES.includes(prng)) r.fail(`PRNG type ${prng} is none of SEAL's (${PRNG_TYPES.join(', ')})`);
    r.skip(SEED_INFO_BYTES - HEADER_BYTES - 1);
  }
  if (r.offset !== end) r.fail('ciphertext record size mismatch');
  return { seeded, dataOffset, count };
}

/** Every stored coefficient of limb i (polys × limbs × n u64s from `dataOffset`, poly-major) must be below q_i. */
function checkResidues(r: LayoutReader, dataOffset: number, polys: number, shape: CiphertextShape): void {
  const { n, moduli } = shape;
  const view = new DataView(r.bytes.buffer, r.bytes.byteOffset + dataOffset, 8 * polys * moduli.length * n);
  for (let poly = 0; poly < polys; poly++) {
    moduli.forEach((q, limb) => {
      // Compare as two 32-bit halves: a BigInt per coefficient would cost more than the load itself.
      const high = Number(q >> 32n);
      const low = Number(q & 0xffffffffn);
      const start = (poly * moduli.length + limb) * n;
      for (let i = start; i < start + n; i++) {
        const h = view.getUint32(8 * i + 4, true);
        if (h > high || (h === high && view.getUint32(8 * i, true) >= low)) {
          r.fail(`coefficient ${i - start} of polynomial ${poly}, limb ${limb} is not below the limb's prime ${q}`, dataOffset + 8 * i);
        }
      }
    });
  }
}

function allZero(bytes: Uint8Array, offset: number, length: number): boolean {
  for (let i = offset; i < offset + length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Exact size of a serialised ciphertext record. */
export function ciphertextBytes(n: number, limbs: number, seeded: boolean): number {
  const coefficients = (seeded ? 1 : 2) * limbs * n;
  return HEADER_BYTES + CIPHERTEXT_FIXED_BYTES + HEADER_BYTES + 8 + 8 * coefficients + (seeded ? SEED_INFO_BYTES : 0);
}

/** A whole serialised ciphertext (nothing after it). */
export function checkCiphertext(bytes: Uint8Array, shape: CiphertextShape, what: string): CiphertextRecord {
  const r = new LayoutReader(bytes, what);
  const record = readCiphertext(r, shape);
  r.expectEnd();
  return record;
}

/**
 * Serialised Galois keys holding exactly the keys at `indices` (SEAL's index of Galois element g is
 * (g − 1)/2), each a vector of `dataLimbs` seeded or unseeded PublicKeys at the key level.
 */
export function checkGaloisKeys(
  bytes: Uint8Array,
  keyShape: Omit<CiphertextShape, 'seeded'>,
  dataLimbs: number,
  indices: ReadonlySet<number>,
  what: string,
): void {
  const r = new LayoutReader(bytes, what);
  r.header();
  r.parmsId(keyShape.parmsId);
  const outer = r.count();
  if (outer !== keyShape.n) r.fail(`Galois key table has ${outer} entries, expected ${keyShape.n}`);
  for (let index = 0; index < outer; index++) {
    const inner = r.count();
    if (inner === 0) {
      if (indices.has(index)) r.fail(`the Galois key for element ${2 * index + 1} is missing`);
      continue;
    }
    if (!indices.has(index)) r.fail(`unexpected Galois key for element ${2 * index + 1}`);
    if (inner !== dataLimbs) r.fail(`Galois key ${2 * index + 1} has ${inner} components, expected ${dataLimbs}`);
    for (let j = 0; j < inner; j++) readCiphertext(r, keyShape);
  }
  r.expectEnd();
}

/**
 * Coefficients of a serialised coefficient-form Plaintext (members: parms_id, u64 coefficient count,
 * f64 scale, DynArray), padded with zeros to `n` (SEAL trims a decrypted plaintext to its significant
 * coefficients). Only for plaintexts this process produced.
 */
export function plaintextCoefficients(bytes: Uint8Array, n: number): BigUint64Array {
  const { dataOffset, count } = plaintextData(bytes, new BigUint64Array(PARMS_ID_WORDS), n);
  const out = new BigUint64Array(n);
  out.set(new BigUint64Array(bytes.slice(dataOffset, dataOffset + 8 * count).buffer));
  return out;
}

/**
 * Where the u64 data of a serialised Plaintext (members: parms_id, u64 coefficient count, f64 scale,
 * DynArray) starts, and how many words it holds (at most `maxCount`). `parmsId`: zero for coefficient
 * form, the level's for NTT form (then the data is limb-major, n per limb). Only for plaintexts this
 * process produced.
 */
export function plaintextData(bytes: Uint8Array, parmsId: ParmsId, maxCount: number): { dataOffset: number; count: number } {
  const r = new LayoutReader(bytes, 'plaintext');
  r.header();
  r.parmsId(parmsId);
  const coeffCount = r.count();
  r.f64();
  r.header();
  const count = r.count();
  if (count !== coeffCount || count > maxCount) r.fail(`${count} coefficients, at most ${maxCount} expected`);
  const dataOffset = r.skip(8 * count);
  r.expectEnd();
  return { dataOffset, count };
}
