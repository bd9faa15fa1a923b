/**
 * The server's private weights file (`weights.bin`, never sent). All integers little-endian:
 *
 *   header   magic "GZLWGHTS" (8) · format version u32 · salt (32 random bytes) ·
 *            SHA-256 of the architecture's canonical JSON (32) · linear layer count u32
 *   layer    name length u16 · name (UTF-8) · index in the architecture's layers u32 ·
 *            kind u8 (1 conv2d, 2 dense) · weight count u32 · bias count u32 ·
 *            weights int32[] · biases int32[] · SHA-256 of this record up to here (32)
 *   trailer  SHA-256 of every byte before it (32)
 *
 * Layers come in the architecture's order. Reading checks every field against the architecture,
 * so a truncated, corrupted or mismatched file is an error naming the file, the layer and the field.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes, toHex } from '../bytes.ts';
import { ModelFormatError } from '../errors.ts';
import { linearWeightCounts, type LinearWeights } from '../linear.ts';
import { isLinear, type Architecture, type LinearLayer } from './architecture.ts';
import { architectureDigest } from './architecture-json.ts';
import type { ModelWeights } from './model.ts';

const MAGIC = new TextEncoder().encode('GZLWGHTS');
export const WEIGHTS_FORMAT_VERSION = 1;
const DIGEST = 32;
export const SALT_BYTES = 32;
const KIND_CODES = { conv2d: 1, dense: 2 } as const;

function linearLayers(arch: Architecture): { layer: LinearLayer; index: number }[] {
  return arch.layers.flatMap((layer, index) => (isLinear(layer) ? [{ layer, index }] : []));
}

/** The weights file of `weights` for `arch` under `salt` (sizes as given: `saveModel` validates first). */
export function encodeWeightsFile(arch: Architecture, weights: ModelWeights, salt: Uint8Array): Uint8Array {
  if (salt.length !== SALT_BYTES) throw new RangeError(`the salt must be ${SALT_BYTES} bytes, got ${salt.length}`);
  const header = new Uint8Array(8 + 4 + SALT_BYTES + DIGEST + 4);
  const view = new DataView(header.buffer);
  header.set(MAGIC, 0);
  view.setUint32(8, WEIGHTS_FORMAT_VERSION, true);
  header.set(salt, 12);
  header.set(architectureDigest(arch), 12 + SALT_BYTES);
  const layers = linearLayers(arch);
  view.setUint32(12 + SALT_BYTES + DIGEST, layers.length, true);
  const records = layers.map(({ layer, index }) => {
    const { weights: w, bias: b } = weights.get(layer.name)!;
    const name = new TextEncoder().encode(layer.name);
    const record = new Uint8Array(2 + name.length + 4 + 1 + 4 + 4 + 4 * (w.length + b.length));
    const rv = new DataView(record.buffer);
    rv.setUint16(0, name.length, true);
    record.set(name, 2);
    let at = 2 + name.length;
    rv.setUint32(at, index, true);
    rv.setUint8(at + 4, KIND_CODES[layer.kind]);
    rv.setUint32(at + 5, w.length, true);
    rv.setUint32(at + 9, b.length, true);
    at += 13;
    for (const values of [w, b]) for (const v of values) (rv.setInt32(at, v, true), (at += 4));
    return concatBytes([record, sha256(record)]);
  });
  const body = concatBytes([header, ...records]);
  return concatBytes([body, sha256(body)]);
}

/** Reads fields in order; running out of bytes is an error naming the layer and field being read. */
class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  take(length: number, field: string, layer?: string): Uint8Array {
    if (this.offset + length > this.bytes.length) {
      throw new ModelFormatError(`truncated: needs ${length} byte(s) at offset ${this.offset}, the file ends at ${this.bytes.length}`, { file: this.file, layer, field });
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  u8(field: string, layer?: string): number {
    return this.view.getUint8(this.take(1, field, layer).byteOffset - this.bytes.byteOffset);
  }

  u16(field: string, layer?: string): number {
    return this.view.getUint16(this.take(2, field, layer).byteOffset - this.bytes.byteOffset, true);
  }

  u32(field: string, layer?: string): number {
    return this.view.getUint32(this.take(4, field, layer).byteOffset - this.bytes.byteOffset, true);
  }

  int32s(count: number, field: string, layer: string): Int32Array {
    const start = this.take(4 * count, field, layer).byteOffset - this.bytes.byteOffset;
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getInt32(start + 4 * i, true);
    return out;
  }
}

/**
 * The weights and salt in a weights file, checked against `arch`: magic, version, the architecture's
 * SHA-256, and every layer's name, index, kind, sizes and checksum, then the file's checksum.
 */
export function decodeWeightsFile(bytes: Uint8Array, arch: Architecture, file: string): { weights: ModelWeights; salt: Uint8Array } {
  const intact = bytes.length >= DIGEST && bytesEqual(sha256(bytes.subarray(0, bytes.length - DIGEST)), bytes.subarray(bytes.length - DIGEST));
  const r = new Reader(bytes, file);
  const at = (field: string, layer?: string) => ({ file, layer, field });
  if (!bytesEqual(r.take(MAGIC.length, 'magic'), MAGIC)) throw new ModelFormatError('not a gazelle weights file (it does not start with "GZLWGHTS")', at('magic'));
  const version = r.u32('format version');
  if (version !== WEIGHTS_FORMAT_VERSION) throw new ModelFormatError(`version ${version} is not supported; this build reads version ${WEIGHTS_FORMAT_VERSION}`, at('format version'));
  const salt = Uint8Array.from(r.take(SALT_BYTES, 'salt'));
  const archDigest = r.take(DIGEST, 'architecture SHA-256');
  const expectedDigest = architectureDigest(arch);
  // Only an intact file can say which architecture it was saved for; a damaged one is reported below.
  if (intact && !bytesEqual(archDigest, expectedDigest)) {
    throw new ModelFormatError(
      `the weights were saved for a different architecture (SHA-256 ${toHex(archDigest).slice(0, 16)}…, the architecture here is ${toHex(expectedDigest).slice(0, 16)}…): ` +
        'the architecture was edited after saving, or the two files belong to different models',
      at('architecture SHA-256'),
    );
  }
  const expected = linearLayers(arch);
  const count = r.u32('layer count');
  if (count !== expected.length) throw new ModelFormatError(`the file has ${count} linear layers, the architecture ${expected.length}`, at('layer count'));
  const weights = new Map<string, LinearWeights>();
  for (const { layer, index } of expected) {
    const start = r.offset;
    const nameBytes = r.take(r.u16('name length', layer.name), 'name', layer.name);
    const name = new TextDecoder().decode(nameBytes);
    if (name !== layer.name) throw new ModelFormatError(`the file has layer "${name}" where the architecture has "${layer.name}"`, at('name', layer.name));
    const fileIndex = r.u32('index', layer.name);
    if (fileIndex !== index) throw new ModelFormatError(`is ${fileIndex}, the architecture has the layer at ${index}`, at('index', layer.name));
    const kind = r.u8('kind', layer.name);
    if (kind !== KIND_CODES[layer.kind]) throw new ModelFormatError(`code ${kind} is not ${layer.kind} (${KIND_CODES[layer.kind]})`, at('kind', layer.name));
    const sizes = linearWeightCounts(layer);
    const counts = { weights: r.u32('weight count', layer.name), bias: r.u32('bias count', layer.name) };
    for (const field of ['weights', 'bias'] as const) {
      if (counts[field] !== sizes[field]) throw new ModelFormatError(`expected ${sizes[field]} values, the file has ${counts[field]}`, at(field, layer.name));
    }
    const values = { weights: r.int32s(counts.weights, 'weights', layer.name), bias: r.int32s(counts.bias, 'bias', layer.name) };
    const record = bytes.subarray(start, r.offset);
    if (!bytesEqual(r.take(DIGEST, 'checksum', layer.name), sha256(record))) {
      throw new ModelFormatError("the layer's SHA-256 does not match its record: the weights are corrupted", at('checksum', layer.name));
    }
    weights.set(layer.name, values);
  }
  r.take(DIGEST, 'file checksum');
  if (r.offset !== bytes.length) throw new ModelFormatError(`${bytes.length - r.offset} unexpected byte(s) after the file checksum`, at('file checksum'));
  if (!intact) throw new ModelFormatError("the file's SHA-256 does not match its last 32 bytes: the header or the checksum is corrupted", at('file checksum'));
  return { weights, salt };
}
