/** PNG images (pngjs): grey, grey+alpha, RGB, RGBA and palette, 1-16 bits (16-bit samples scaled to 8 by pngjs). */
import { PNG } from 'pngjs';
import { ImageFormatError } from '../errors.ts';
import { planar, type Image } from './image.ts';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Decode a PNG file's bytes; `file` names it in errors. */
export function decodePng(bytes: Uint8Array, file: string): Image {
  let png: ReturnType<typeof PNG.sync.read> & { color?: boolean; alpha?: boolean };
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (error) {
    throw new ImageFormatError(file, `not a readable PNG: ${(error as Error).message}`, { cause: error });
  }
  // pngjs hands out RGBA; keep the channels the file has (palette entries count as colour).
  const channels = (png.color ? 3 : 1) + (png.alpha ? 1 : 0);
  const rgba = png.data;
  const area = png.width * png.height;
  const pick = channels === 1 ? [0] : channels === 2 ? [0, 3] : channels === 3 ? [0, 1, 2] : [0, 1, 2, 3];
  const interleaved = new Uint8Array(area * channels);
  for (let i = 0; i < area; i++) pick.forEach((c, k) => (interleaved[i * channels + k] = rgba[4 * i + c]!));
  return { channels, height: png.height, width: png.width, pixels: planar(interleaved, channels, png.height, png.width) };
}
