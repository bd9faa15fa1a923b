import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { ImageFormatError } from '../errors.ts';
import { loadMnistTestSet, MNIST_TEST_IMAGES } from './idx.ts';
import { imageForModel } from './image.ts';
import { readImage, readImageForModel } from './read-image.ts';

const dir = mkdtempSync(join(tmpdir(), 'gazelle-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

// A PNG written here from the specification (signature, IHDR, PLTE/tRNS, IDAT of filter-0 rows, IEND),
// independently of the decoder under test.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let crc = 0xffffffff;
  for (const b of body) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}
/** `rows[y]` holds the samples of row y, interleaved, each `depth` bits (8 or 16). */
function png(width: number, height: number, colorType: number, depth: 8 | 16, rows: number[][], extra: Buffer[] = []): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([depth, colorType, 0, 0, 0], 8);
  const raw = Buffer.concat(rows.map((row) => Buffer.from([0, ...row.flatMap((v) => (depth === 16 ? [v >> 8, v & 0xff] : [v]))])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...extra, chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

const grey = { channels: 1, height: 2, width: 2 };
const colour = { channels: 3, height: 2, width: 2 };

test('PNG: grey, grey+alpha, RGB, RGBA, palette, 8 and 16 bits, to C×H×W pixels', () => {
  const g = readImage(file('g.png', png(2, 2, 0, 8, [[0, 10], [200, 255]])));
  assert.deepEqual({ ...g, pixels: [...g.pixels] }, { channels: 1, height: 2, width: 2, pixels: [0, 10, 200, 255] });
  // 16 bits: round(v·255/65535): 257 → 1, 32896 → 128, 65535 → 255.
  assert.deepEqual([...readImage(file('g16.png', png(2, 2, 0, 16, [[0, 257], [32896, 65535]]))).pixels], [0, 1, 128, 255]);
  const rgb = readImage(file('rgb.png', png(2, 2, 2, 8, [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]])));
  assert.deepEqual([rgb.channels, ...rgb.pixels], [3, 1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]); // channel-major
  const ga = readImage(file('ga.png', png(2, 2, 4, 8, [[5, 255, 6, 255], [7, 255, 8, 255]])));
  assert.deepEqual([ga.channels, ...imageForModel(ga, grey, 'ga.png')], [2, 5, 6, 7, 8]);
  const rgba = readImage(file('rgba.png', png(2, 2, 6, 16, [[65535, 0, 0, 65535, 0, 65535, 0, 65535], [0, 0, 65535, 65535, 0, 0, 0, 65535]])));
  assert.deepEqual([rgba.channels, ...imageForModel(rgba, colour, 'rgba.png')], [4, 255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0]);
  const palette = readImage(file('p.png', png(2, 2, 3, 8, [[0, 1], [1, 0]], [chunk('PLTE', Uint8Array.of(9, 9, 9, 1, 2, 3))])));
  assert.deepEqual([palette.channels, ...palette.pixels], [3, 9, 1, 1, 9, 9, 2, 2, 9, 9, 3, 3, 9]);
});

test('channels: grey RGB to a grey model, grey to an RGB model; colour, transparency and size mismatches are errors', () => {
  const greyRgb = readImage(file('greyrgb.png', png(2, 2, 2, 8, [[4, 4, 4, 9, 9, 9], [0, 0, 0, 1, 1, 1]])));
  assert.deepEqual([...imageForModel(greyRgb, grey, 'x')], [4, 9, 0, 1]);
  const g = readImage(file('g2.png', png(2, 2, 0, 8, [[1, 2], [3, 4]])));
  assert.deepEqual([...imageForModel(g, colour, 'x')], [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  const rgb = readImage(file('c.png', png(2, 2, 2, 8, [[4, 4, 4, 9, 8, 9], [0, 0, 0, 1, 1, 1]])));
  assert.throws(() => imageForModel(rgb, grey, 'c.png'), (e: unknown) => e instanceof ImageFormatError && /c.png: a colour image \(pixel \(1, 0\) is not grey\) for a model that takes grey images/.test(e.message));
  const ga = readImage(file('ga2.png', png(2, 2, 4, 8, [[5, 255, 6, 128], [7, 255, 8, 255]])));
  assert.throws(() => imageForModel(ga, grey, 'ga2.png'), /pixel \(1, 0\) is not opaque \(alpha 128\)/);
  assert.throws(() => imageForModel(g, { channels: 1, height: 28, width: 28 }, 'g2.png'), /g2.png: the image is 2x2 pixels, the model takes 28x28 \(images are not resized\)/);
  assert.throws(() => imageForModel(g, { channels: 2, height: 2, width: 2 }, 'g2.png'), /a grey image for a model that takes 2 channel\(s\)/);
});

test('PGM: P5 with 8- and 16-bit samples and comments, P2, scaled to 8 bits', () => {
  const p5 = readImage(file('a.pgm', Buffer.concat([Buffer.from('P5\n# a comment\n2 2\n255\n'), Buffer.from([0, 1, 254, 255])])));
  assert.deepEqual([p5.width, p5.height, ...p5.pixels], [2, 2, 0, 1, 254, 255]);
  const p5wide = readImage(file('w.pgm', Buffer.concat([Buffer.from('P5 2 1 1000 '), Buffer.from([0x03, 0xe8, 0x01, 0xf4])])));
  assert.deepEqual([...p5wide.pixels], [255, 128]); // 1000 → 255, 500·255/1000 = 127.5 → 128
  assert.deepEqual([...readImage(file('a2.pgm', 'P2\n3 1\n15\n0 15 # end\n 5\n')).pixels], [0, 255, 85]);
});

test('malformed PGM files say what is wrong', () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['t.pgm', Buffer.concat([Buffer.from('P5 2 2 255\n'), Buffer.from([1, 2, 3])]), /PGM data truncated: 2x2 needs 4 bytes, the file has 3/],
    ['h.pgm', 'P5 2', /PGM header truncated: no height/],
    ['m.pgm', 'P2 2 1 70000 1 2', /PGM maxval must be an integer in \[1, 65535\], got "70000"/],
    ['s.pgm', 'P2 2 1 9 1 10', /PGM sample 1 must be an integer in \[0, 9\], got "10"/],
    ['e.pgm', 'P2 2 1 9 1', /PGM data truncated: 2x1 needs 2 samples, the file has 1/],
    ['x.pgm', 'P6 2 1 255 abcdef', /not a PNG, PGM \(P5\/P2\) or idx file/],
  ];
  for (const [name, bytes, message] of cases) {
    const path = file(name, bytes);
    assert.throws(() => readImage(path), (e: unknown) => e instanceof ImageFormatError && e.message.startsWith(path) && message.test(e.message), String(message));
  }
});

function idxBytes(dims: number[], data: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.set([0, 0, 8, dims.length]);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

test('idx: one image by index, gzipped or not; wrong index, missing index, wrong type are errors', () => {
  const raw = idxBytes([3, 1, 2], [1, 2, 3, 4, 5, 6]);
  const plain = file('imgs.idx', raw);
  const gz = file('imgs.idx.gz', gzipSync(raw));
  assert.deepEqual([...readImage(`${plain}:1`).pixels], [3, 4]);
  assert.deepEqual([...readImage(`${gz}:2`).pixels], [5, 6]);
  assert.throws(() => readImage(`${plain}:3`), /image index 3 is out of range: the file holds 3 images \(0..2\)/);
  assert.throws(() => readImage(gz), /an idx file of 3 images: say which one, as .*imgs.idx.gz:<index> \(0..2\)/);
  assert.throws(() => readImage(file('labels.idx', idxBytes([2], [1, 2]))), /an idx image file has 3 dimensions .* this one has 1/);
  const ints = Buffer.from(raw);
  ints[2] = 0x0c;
  assert.throws(() => readImage(`${file('ints.idx', ints)}:0`), /idx element type 0xc is not supported/);
  assert.throws(() => readImage(`${file('short.idx', raw.subarray(0, raw.length - 1))}:0`), /idx data truncated: dimensions 3x1x2 need 6 bytes, the file has 5/);
  assert.throws(() => readImage(`${file('bad.gz', gzipSync(raw).subarray(0, 20))}:0`), /gzip data is corrupt or truncated/);
  assert.throws(() => readImage(join(dir, 'missing.png')), (e: unknown) => e instanceof ImageFormatError && /missing.png: cannot read/.test(e.message));
});

test('fuzz: any truncation or corruption of a PNG, PGM or idx file is an ImageFormatError or a valid image, never another error', () => {
  const samples = [
    png(3, 2, 6, 8, [[1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255], [1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255]]),
    Buffer.concat([Buffer.from('P5\n3 2\n255\n'), Buffer.from([1, 2, 3, 4, 5, 6])]),
    Buffer.from('P2 3 2 255 1 2 3 4 5 6'),
    gzipSync(idxBytes([1, 2, 3], [1, 2, 3, 4, 5, 6])),
    idxBytes([1, 2, 3], [1, 2, 3, 4, 5, 6]),
  ];
  const path = join(dir, 'fuzz');
  fc.assert(
    fc.property(fc.nat(samples.length - 1), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }), (which, cut, flips) => {
      const bytes = Uint8Array.from(samples[which]!.subarray(0, 1 + (cut % samples[which]!.length)));
      for (const [at, value] of flips) bytes[at % bytes.length] = value;
      writeFileSync(path, bytes);
      try {
        const image = readImage(path);
        assert.equal(image.pixels.length, image.channels * image.height * image.width);
      } catch (error) {
        assert.ok(error instanceof ImageFormatError && error.message.startsWith(path), String(error));
      }
    }),
    { numRuns: 400 },
  );
});

test('the committed MNIST test set: 10,000 digits with the official label counts; idx:i reads one of them', () => {
  const { images, labels } = loadMnistTestSet();
  assert.equal(images.length, 10000);
  const counts = Array(10).fill(0);
  for (const l of labels) counts[l]++;
  // The published class sizes of the MNIST test set.
  assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.deepEqual([...labels.subarray(0, 4)], [7, 2, 1, 0]);
  assert.deepEqual(readImageForModel(`${MNIST_TEST_IMAGES}:3`, { channels: 1, height: 28, width: 28 }), images[3]);
});
