/**
 * Many images named on the command line at once (calibration, cross-checks, accuracy): an idx file
 * (every image, or `file.idx:first-last`), a directory (its PNG and PGM files, by name), or single
 * images as `readImage` takes them (`file.png`, `file.idx:123`). Labels come from an idx label
 * file, at the same indices as the idx images they belong to.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImageFormatError } from '../errors.ts';
import type { Shape } from '../model/architecture.ts';
import { decodeIdx, idxImage, idxImageCount, idxLabels, isGzip, isIdx, readIdxFile, type IdxArray } from './idx.ts';
import { imageForModel } from './image.ts';
import { parseImageSpec, readImageForModel } from './read-image.ts';

export interface ImageSet {
  /** C×H×W 8-bit pixels, fitted to the model's input. */
  readonly images: Uint8Array[];
  /** With a label file: one label per image. */
  readonly labels?: Uint8Array;
}

/** `path:first-last` of an existing file (both inclusive). */
function parseRange(spec: string): { path: string; first: number; last: number } | undefined {
  const match = /^(.*):(\d+)-(\d+)$/.exec(spec);
  if (!match || existsSync(spec) || !existsSync(match[1]!)) return undefined;
  return { path: match[1]!, first: Number(match[2]), last: Number(match[3]) };
}

const IMAGE_FILE = /\.(png|pgm)$/i;

/** The idx image file (N×H×W) a spec names, and which of its images; undefined for anything else. */
function idxSelection(spec: string): { path: string; idx: IdxArray; indices: number[] } | undefined {
  const range = parseRange(spec);
  const { path, index } = range ? { path: range.path, index: undefined } : parseImageSpec(spec);
  if (!existsSync(path) || statSync(path).isDirectory()) return undefined;
  const bytes = readFileSync(path);
  if (!isGzip(bytes) && !isIdx(bytes)) return undefined;
  const idx = decodeIdx(bytes, path);
  const count = idxImageCount(idx, path);
  if (range && (range.first > range.last || range.last >= count)) throw new ImageFormatError(path, `image range ${range.first}-${range.last} is not within 0..${count - 1}`);
  const indices = range
    ? Array.from({ length: range.last - range.first + 1 }, (_, k) => range.first + k)
    : index === undefined
      ? Array.from({ length: count }, (_, k) => k)
      : [index];
  return { path, idx, indices };
}

/** The images `specs` name, fitted to `shape`, with their labels when `labelFile` is given. */
export function readImageSet(specs: readonly string[], shape: Shape, labelFile?: string): ImageSet {
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  const labelData = labelFile === undefined ? undefined : idxLabels(readIdxFile(labelFile), labelFile);
  for (const spec of specs) {
    const directory = existsSync(spec) && statSync(spec).isDirectory();
    const selection = directory ? undefined : idxSelection(spec);
    if (labelData && !selection) throw new ImageFormatError(spec, 'labels (--labels) go with idx images only');
    if (directory) {
      const files = readdirSync(spec).filter((name) => IMAGE_FILE.test(name)).sort();
      if (files.length === 0) throw new ImageFormatError(spec, 'the directory holds no .png or .pgm files');
      for (const name of files) images.push(readImageForModel(join(spec, name), shape));
    } else if (!selection) {
      images.push(readImageForModel(spec, shape));
    } else {
      for (const index of selection.indices) {
        images.push(imageForModel(idxImage(selection.idx, index, selection.path), shape, selection.path));
        if (labelData) {
          if (index >= labelData.length) throw new ImageFormatError(labelFile!, `has ${labelData.length} labels; image ${index} of ${selection.path} has none`);
          labels.push(labelData[index]!);
        }
      }
    }
  }
  if (images.length === 0) throw new ImageFormatError(specs.join(' '), 'no images');
  return labelData ? { images, labels: Uint8Array.from(labels) } : { images };
}
