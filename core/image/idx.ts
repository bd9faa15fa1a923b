/**
 * idx files (the MNIST format of LeCun et al.): magic 0x00 0x00, a type byte (0x08: unsigned
 * bytes, the only one images and labels use), a dimension count, big-endian u32 sizes, then the
 * data. Gzipped files (.gz, or gzip's magic 1f 8b) are inflated first.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { ImageFormatError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { Image } from './image.ts';

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[3]! >= 1 && bytes[3]! <= 4;
}

/** Decode idx bytes (inflating gzip); `file` names it in errors. */
export function decodeIdx(raw: Uint8Array, file: string): IdxArray {
  let bytes = raw;
  if (isGzip(raw)) {
    try {
      bytes = gunzipSync(raw);
    } catch (error) {
      throw new ImageFormatError(file, `gzip data is corrupt or truncated: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!isIdx(bytes)) throw new ImageFormatError(file, 'not an idx file (it does not start with 00 00 <type> <dimensions 1-4>)');
  if (bytes[2] !== 0x08) throw new ImageFormatError(file, `idx element type 0x${bytes[2]!.toString(16)} is not supported (only 0x08, unsigned bytes)`);
  const rank = bytes[3]!;
  if (bytes.length < 4 + 4 * rank) throw new ImageFormatError(file, `idx header truncated: ${rank} dimension sizes need ${4 + 4 * rank} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length - start !== size) {
    throw new ImageFormatError(file, `idx data ${bytes.length - start < size ? 'truncated' : 'too long'}: dimensions ${dims.join('x')} need ${size} bytes, the file has ${bytes.length - start}`);
  }
  return { dims, data: bytes.subarray(start) };
}

export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ImageFormatError(path, `cannot read: ${(error as Error).message}`, { cause: error });
  }
  return decodeIdx(bytes, path);
}

/** How many images an idx image file holds (dimensions N×H×W). */
export function idxImageCount(idx: IdxArray, file: string): number {
  if (idx.dims.length !== 3) throw new ImageFormatError(file, `an idx image file has 3 dimensions (count, height, width), this one has ${idx.dims.length} (${idx.dims.join('x')})`);
  return idx.dims[0]!;
}

/** Image `index` of an idx image file (grey, H×W). */
export function idxImage(idx: IdxArray, index: number, file: string): Image {
  const count = idxImageCount(idx, file);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new ImageFormatError(file, `image index ${index} is out of range: the file holds ${count} images (0..${count - 1})`);
  const [, height, width] = idx.dims as [number, number, number];
  return { channels: 1, height, width, pixels: idx.data.slice(index * height * width, (index + 1) * height * width) };
}

/** The labels of an idx label file (one dimension). */
export function idxLabels(idx: IdxArray, file: string): Uint8Array {
  if (idx.dims.length !== 1) throw new ImageFormatError(file, `an idx label file has 1 dimension, this one has ${idx.dims.length} (${idx.dims.join('x')})`);
  return idx.data.slice();
}

/** The committed MNIST test set (data/mnist, official, 10,000 digits; SOURCES.md). */
export const MNIST_DIR = resolve(PACKAGE_ROOT, 'data', 'mnist');
export const MNIST_TEST_IMAGES = resolve(MNIST_DIR, 't10k-images-idx3-ubyte.gz');
export const MNIST_TEST_LABELS = resolve(MNIST_DIR, 't10k-labels-idx1-ubyte.gz');

/** The first `count` (default all 10,000) MNIST test digits (28×28 grey, C×H×W) and their labels. */
export function loadMnistTestSet(count = Infinity): { images: Uint8Array[]; labels: Uint8Array } {
  const images = readIdxFile(MNIST_TEST_IMAGES);
  const labels = idxLabels(readIdxFile(MNIST_TEST_LABELS), MNIST_TEST_LABELS);
  const n = Math.min(count, idxImageCount(images, MNIST_TEST_IMAGES));
  if (labels.length < n) throw new ImageFormatError(MNIST_TEST_LABELS, `has ${labels.length} labels for ${n} images`);
  return { images: Array.from({ length: n }, (_, i) => idxImage(images, i, MNIST_TEST_IMAGES).pixels), labels: labels.subarray(0, n) };
}
