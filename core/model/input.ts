/**
 * From 8-bit pixels to what a model reads (architecture.ts, `InputSpec`): pixel v ∈ [0, 255] stands
 * for the float lo + (hi − lo)·v/255, and the integer input is that float at `scaleBits` fractional
 * bits, rounded to nearest (halves up: Math.round).
 */
import { ModelFormatError } from '../errors.ts';
import { shapeSize, type Architecture, type Shape } from './architecture.ts';

function checkPixels(shape: Shape, pixels: Uint8Array): void {
  if (pixels.length !== shapeSize(shape)) {
    throw new ModelFormatError(`expected ${shapeSize(shape)} pixels (${shape.channels}x${shape.height}x${shape.width}), got ${pixels.length}`, { field: 'input' });
  }
}

/** The float an 8-bit pixel stands for. */
export function pixelFloat(range: readonly [number, number], v: number): number {
  return range[0] + ((range[1] - range[0]) * v) / 255;
}

/** Float input of a model from C×H×W 8-bit pixels. */
export function floatInput(input: { readonly shape: Shape; readonly floatRange: readonly [number, number] }, pixels: Uint8Array): Float64Array {
  checkPixels(input.shape, pixels);
  return Float64Array.from(pixels, (v) => pixelFloat(input.floatRange, v));
}

/** The integer an 8-bit pixel stands for at `scaleBits` fractional bits: round(float · 2^scaleBits). */
export function quantisedPixel(range: readonly [number, number], scaleBits: number, v: number): number {
  return Math.round(pixelFloat(range, v) * 2 ** scaleBits);
}

/** Integer input of a quantised model from C×H×W 8-bit pixels. */
export function quantiseInput(arch: Architecture, pixels: Uint8Array): Int32Array {
  const { floatRange, scaleBits } = arch.input;
  checkPixels(arch.input.shape, pixels);
  return Int32Array.from(pixels, (v) => quantisedPixel(floatRange, scaleBits, v));
}
