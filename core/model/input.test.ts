import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelFormatError } from '../errors.ts';
import { ARCHITECTURE_FORMAT, type Architecture } from './architecture.ts';
import { floatInput, quantiseInput } from './input.ts';

const arch = (floatRange: [number, number], scaleBits: number, min: number, max: number): Architecture => ({
  format: ARCHITECTURE_FORMAT,
  name: 'in',
  input: { shape: { channels: 1, height: 1, width: 4 }, floatRange, scaleBits, min, max },
  plainModulus: 557057,
  layers: [{ kind: 'dense', name: 'fc', inputs: 4, outputs: 1, weightScaleBits: 0 }],
  output: { classes: 1, scaleBits: 0 },
});

test('pixels map to lo + (hi − lo)·v/255, then to round(float · 2^scaleBits)', () => {
  // [0, 1] at 8 bits: 128/255·256 = 128.50… → 129; 64/255·256 = 64.25… → 64.
  assert.deepEqual([...quantiseInput(arch([0, 1], 8, 0, 256), Uint8Array.of(0, 64, 128, 255))], [0, 64, 129, 256]);
  // [−1, 1] at 4 bits: −16, (−1 + 2·51/255)·16 = −9.6 → −10, 0.00392…·16 → 0, 16.
  assert.deepEqual([...quantiseInput(arch([-1, 1], 4, -16, 16), Uint8Array.of(0, 51, 128, 255))], [-16, -10, 0, 16]);
  assert.deepEqual([...floatInput({ shape: { channels: 1, height: 1, width: 2 }, floatRange: [0, 1] }, Uint8Array.of(0, 51))], [0, 0.2]);
});

test('the pixel count must be the input shape', () => {
  assert.throws(() => quantiseInput(arch([0, 1], 8, 0, 256), new Uint8Array(5)), (e: unknown) => e instanceof ModelFormatError && /expected 4 pixels \(1x1x4\), got 5/.test(e.message));
});
