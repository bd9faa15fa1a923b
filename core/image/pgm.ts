/**
 * PGM (netpbm greymap) images: binary P5 and ASCII P2, any maxval up to 65535 (two bytes per
 * sample, big-endian, in P5 above 255). Samples are scaled to 8 bits: round(v·255/maxval).
 */
import { ImageFormatError } from '../errors.ts';
import type { Image } from './image.ts';

/** Decode a PGM file's bytes; `file` names it in errors. */
export function decodePgm(bytes: Uint8Array, file: string): Image {
  let at = 0;
  const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
  /** The next token, skipping whitespace and # comments; undefined at the end of the file. */
  const nextToken = (): string | undefined => {
    for (;;) {
      while (at < bytes.length && isSpace(bytes[at]!)) at++;
      if (bytes[at] !== 0x23) break;
      while (at < bytes.length && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++;
    }
    const start = at;
    while (at < bytes.length && !isSpace(bytes[at]!) && bytes[at] !== 0x23) at++;
    return start === at ? undefined : new TextDecoder().decode(bytes.subarray(start, at));
  };
  const number = (what: string, min: number, max: number, missing = `PGM header truncated: no ${what}`): number => {
    const text = nextToken();
    if (text === undefined) throw new ImageFormatError(file, missing);
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) throw new ImageFormatError(file, `PGM ${what} must be an integer in [${min}, ${max}], got ${JSON.stringify(text)}`);
    return value;
  };
  const magic = new TextDecoder().decode(bytes.subarray(0, 2));
  if (magic !== 'P5' && magic !== 'P2') throw new ImageFormatError(file, `not a PGM image (it starts with ${JSON.stringify(magic)}, not P5 or P2)`);
  at = 2;
  const width = number('width', 1, 1 << 16);
  const height = number('height', 1, 1 << 16);
  const maxval = number('maxval', 1, 65535);
  const count = width * height;
  const samples = new Uint16Array(count);
  if (magic === 'P5') {
    if (!isSpace(bytes[at] ?? 0)) throw new ImageFormatError(file, 'PGM header truncated: no whitespace after maxval');
    at += 1;
    const size = maxval > 255 ? 2 : 1;
    if (bytes.length - at < count * size) throw new ImageFormatError(file, `PGM data truncated: ${width}x${height} needs ${count * size} bytes, the file has ${bytes.length - at}`);
    for (let i = 0; i < count; i++) samples[i] = size === 2 ? (bytes[at + 2 * i]! << 8) | bytes[at + 2 * i + 1]! : bytes[at + i]!;
  } else {
    for (let i = 0; i < count; i++) samples[i] = number(`sample ${i}`, 0, maxval, `PGM data truncated: ${width}x${height} needs ${count} samples, the file has ${i}`);
  }
  const bad = samples.findIndex((v) => v > maxval);
  if (bad >= 0) throw new ImageFormatError(file, `PGM sample ${bad} is ${samples[bad]}, above maxval ${maxval}`);
  const pixels = maxval === 255 ? Uint8Array.from(samples) : Uint8Array.from(samples, (v) => Math.round((v * 255) / maxval));
  return { channels: 1, height, width, pixels };
}
