/**
 * An image as a model reads it: 8-bit samples, C×H×W channel-major (core/model/architecture.ts).
 * Decoders (png.ts, pgm.ts, idx.ts) produce it; `imageForModel` fits its channels to the model's
 * and checks its size.
 *
 * Channel rules (only conversions that cannot change what the image shows):
 * - an alpha channel is dropped when every pixel is opaque; a transparent pixel is an error
 *   (composited onto what? flatten the image first);
 * - a colour image goes to a 1-channel model only if it is grey (R = G = B at every pixel);
 * - a grey image goes to a 3-channel model with its grey value in R, G and B.
 * Images are never resized: a wrong size is an error saying what the model takes.
 */
import { ImageFormatError } from '../errors.ts';
import type { Shape } from '../model/architecture.ts';

export interface Image {
  /** 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA). */
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** channels × height × width samples, channel-major. */
  readonly pixels: Uint8Array;
}

/** Samples stored pixel by pixel (RGBRGB...) rearranged channel-major (RRR...GGG...BBB...). */
export function planar(interleaved: ArrayLike<number>, channels: number, height: number, width: number): Uint8Array {
  const area = height * width;
  const out = new Uint8Array(channels * area);
  for (let i = 0; i < area; i++) for (let c = 0; c < channels; c++) out[c * area + i] = interleaved[i * channels + c]!;
  return out;
}

const NAMES = ['', 'grey', 'grey+alpha', 'RGB', 'RGBA'];

/** The image as the C×H×W pixels of a model taking `shape` (see the channel rules above). */
export function imageForModel(image: Image, shape: Shape, file: string): Uint8Array {
  if (image.height !== shape.height || image.width !== shape.width) {
    throw new ImageFormatError(file, `the image is ${image.width}x${image.height} pixels, the model takes ${shape.width}x${shape.height} (images are not resized)`);
  }
  const area = image.height * image.width;
  const plane = (c: number) => image.pixels.subarray(c * area, (c + 1) * area);
  let colour = image.channels;
  if (colour === 2 || colour === 4) {
    const alpha = plane(colour - 1);
    const transparent = alpha.findIndex((a) => a !== 255);
    if (transparent >= 0) {
      throw new ImageFormatError(file, `pixel (${transparent % image.width}, ${Math.floor(transparent / image.width)}) is not opaque (alpha ${alpha[transparent]}); flatten the image onto a background first`);
    }
    colour -= 1;
  }
  if (colour === shape.channels) return image.pixels.slice(0, colour * area);
  if (colour === 3 && shape.channels === 1) {
    const [r, g, b] = [plane(0), plane(1), plane(2)];
    const coloured = r.findIndex((v, i) => v !== g[i] || v !== b[i]);
    if (coloured >= 0) {
      throw new ImageFormatError(file, `a colour image (pixel (${coloured % image.width}, ${Math.floor(coloured / image.width)}) is not grey) for a model that takes grey images; convert it to greyscale first`);
    }
    return r.slice();
  }
  if (colour === 1 && shape.channels === 3) return Uint8Array.from({ length: 3 * area }, (_, i) => image.pixels[i % area]!);
  throw new ImageFormatError(file, `a ${NAMES[image.channels]} image for a model that takes ${shape.channels} channel(s)`);
}
