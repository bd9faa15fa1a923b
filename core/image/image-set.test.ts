import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { ImageFormatError } from '../errors.ts';
import { readImageSet } from './image-set.ts';

const dir = mkdtempSync(join(tmpdir(), 'gazelle-image-set-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An idx file written from the format (magic 0x0000080N, big-endian dimensions, bytes). */
function idx(name: string, dims: number[], data: number[], gzip = false): string {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const bytes = Buffer.concat([header, Buffer.from(data)]);
  const path = join(dir, name);
  writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

/** A P5 PGM of one row of `pixels`. */
function pgm(path: string, pixels: number[]): void {
  writeFileSync(path, Buffer.concat([Buffer.from(`P5\n${pixels.length} 1\n255\n`), Buffer.from(pixels)]));
}

const shape = { channels: 1, height: 1, width: 2 };
// Five 1×2 images: image k holds [10k, 10k + 1]; labels 5 - k.
const images = idx('images.idx.gz', [5, 1, 2], [0, 1, 10, 11, 20, 21, 30, 31, 40, 41], true);
const labels = idx('labels.idx', [5], [5, 4, 3, 2, 1]);
const pixels = (set: { images: Uint8Array[] }) => set.images.map((p) => [...p]);

test('an idx file: every image, a range (inclusive), one image; labels at the same indices', () => {
  assert.deepEqual(pixels(readImageSet([images], shape)), [[0, 1], [10, 11], [20, 21], [30, 31], [40, 41]]);
  const range = readImageSet([`${images}:1-3`], shape, labels);
  assert.deepEqual(pixels(range), [[10, 11], [20, 21], [30, 31]]);
  assert.deepEqual([...range.labels!], [4, 3, 2]);
  const several = readImageSet([`${images}:4`, `${images}:0-0`], shape, labels);
  assert.deepEqual(pixels(several), [[40, 41], [0, 1]]);
  assert.deepEqual([...several.labels!], [1, 5]);
  assert.equal(readImageSet([images], shape).labels, undefined);
});

test('a directory: its PNG and PGM files by name; single files', () => {
  const folder = join(dir, 'digits');
  mkdirSync(folder);
  pgm(join(folder, 'b.pgm'), [7, 8]);
  pgm(join(folder, 'a.pgm'), [5, 6]);
  writeFileSync(join(folder, 'notes.txt'), 'not an image');
  assert.deepEqual(pixels(readImageSet([folder], shape)), [[5, 6], [7, 8]]);
  assert.deepEqual(pixels(readImageSet([join(folder, 'b.pgm'), `${images}:2`], shape)), [[7, 8], [20, 21]]);
});

test('mistakes are ImageFormatErrors saying what is wrong', () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const cases: [() => unknown, RegExp][] = [
    [() => readImageSet([`${images}:3-7`], shape), /image range 3-7 is not within 0\.\.4/],
    [() => readImageSet([`${images}:3-1`], shape), /image range 3-1/],
    [() => readImageSet([empty], shape), /no \.png or \.pgm files/],
    [() => readImageSet([join(dir, 'digits')], shape, labels), /labels \(--labels\) go with idx images only/],
    [() => readImageSet([images], shape, idx('short.idx', [2], [1, 2])), /has 2 labels; image 2 of .* has none/],
    [() => readImageSet([images], { channels: 1, height: 2, width: 2 }), /the model takes 2x2/],
    [() => readImageSet([join(dir, 'missing.png')], shape), /cannot read/],
  ];
  for (const [run, message] of cases) assert.throws(run, (e) => e instanceof ImageFormatError && message.test(e.message), String(message));
});
