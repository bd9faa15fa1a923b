/**
 * Reading an image named on the command line: a PNG, a PGM (P5 or P2), or one image of an idx file
 * (`file.idx:123`, gzipped or not), recognised by content; then fitted to a model's input
 * (image.ts: channel rules, no resizing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ImageFormatError } from '../errors.ts';
import type { Shape } from '../model/architecture.ts';
import { decodeIdx, idxImage, idxImageCount, isGzip, isIdx } from './idx.ts';
import { imageForModel, type Image } from './image.ts';
import { decodePgm } from './pgm.ts';
import { decodePng, PNG_SIGNATURE } from './png.ts';

/** `path` and, for `path:123` where `path` is a file, the index. */
export function parseImageSpec(spec: string): { path: string; index?: number } {
  const match = /^(.*):(\d+)$/.exec(spec);
  if (match && !existsSync(spec) && existsSync(match[1]!)) return { path: match[1]!, index: Number(match[2]) };
  return { path: spec };
}

/** Decode the image `spec` names (see the header comment). */
export function readImage(spec: string): Image {
  const { path, index } = parseImageSpec(spec);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ImageFormatError(path, `cannot read: ${(error as Error).message}`, { cause: error });
  }
  const startsWith = (prefix: Uint8Array) => prefix.every((b, i) => bytes[i] === b);
  if (isGzip(bytes) || isIdx(bytes)) {
    const idx = decodeIdx(bytes, path);
    const count = idxImageCount(idx, path);
    if (index === undefined && count !== 1) throw new ImageFormatError(path, `an idx file of ${count} images: say which one, as ${path}:<index> (0..${count - 1})`);
    return idxImage(idx, index ?? 0, path);
  }
  if (index !== undefined) throw new ImageFormatError(path, `an index (:${index}) only applies to idx files`);
  if (startsWith(PNG_SIGNATURE)) return decodePng(bytes, path);
  if (bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x32)) return decodePgm(bytes, path);
  throw new ImageFormatError(path, 'not a PNG, PGM (P5/P2) or idx file');
}

/** The C×H×W pixels of the image `spec` names, for a model taking `shape`. */
export function readImageForModel(spec: string, shape: Shape): Uint8Array {
  return imageForModel(readImage(spec), shape, parseImageSpec(spec).path);
}
