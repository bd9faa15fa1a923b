/**
 * Entry point for Bristol files of either format: format detection, dispatch, and file loading.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CircuitFormatError } from '../errors.ts';
import type { Circuit } from './circuit.ts';
import { type BristolReadOptions, LineScanner } from './bristol-text.ts';
import { parseBristolFashion } from './bristol-fashion.ts';
import { type OldBristolBitOrder, parseOldBristol } from './bristol-old.ts';

export type BristolFormat = 'fashion' | 'old';

export interface BristolParseOptions extends BristolReadOptions {
  /** Which format to read; `auto` (default) uses {@link detectBristolFormat}. */
  readonly format?: BristolFormat | 'auto';
  /** Bit numbering of an old-format file (ignored for Bristol Fashion); see `bristol-old.ts`. */
  readonly bitOrder?: OldBristolBitOrder;
}

/**
 * Tell the formats apart by their third non-blank line: Bristol Fashion has an output line there
 * (numbers only), the old format already has a gate (its last field is the gate name), or nothing.
 */
export function detectBristolFormat(text: string): BristolFormat {
  const scanner = new LineScanner(text);
  scanner.next();
  scanner.next();
  const third = scanner.next();
  if (third === undefined) return 'old';
  return /^\d+$/.test(third.tokens[third.tokens.length - 1]!) ? 'fashion' : 'old';
}

/** Parse Bristol text of the given (or detected) format into the IR. */
export function parseBristol(text: string, options?: BristolParseOptions): Circuit {
  const format = options?.format === undefined || options.format === 'auto' ? detectBristolFormat(text) : options.format;
  return format === 'fashion' ? parseBristolFashion(text, options) : parseOldBristol(text, options);
}

/**
 * Default bound on the bytes read from a circuit file: far above any circuit here (sha256.txt:
 * 3.4 MB), low enough to hold in memory. A device or pipe that never ends (`/dev/zero`) stops there.
 */
export const DEFAULT_MAX_CIRCUIT_BYTES = 64 * 1024 * 1024;

export interface BristolFileOptions extends BristolParseOptions {
  /** Refuse files larger than this many bytes (default {@link DEFAULT_MAX_CIRCUIT_BYTES}). */
  readonly maxBytes?: number;
}

/**
 * Read and parse a Bristol file (UTF-8 text). A file over `maxBytes` is a `CircuitFormatError`
 * (whatever its kind: regular files are refused by size before reading, endless devices after
 * `maxBytes` bytes); file-system errors propagate unchanged.
 */
export function loadBristolFile(path: string, options?: BristolFileOptions): Circuit {
  return parseBristol(readBristolText(path, options?.maxBytes), options);
}

/** The text of a circuit file, at most `maxBytes` bytes of it (else a `CircuitFormatError`), as `loadBristolFile` reads it. */
export function readBristolText(path: string, maxBytes = DEFAULT_MAX_CIRCUIT_BYTES): string {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  const tooLarge = () => {
    const limit = maxBytes % 2 ** 20 === 0 ? `${maxBytes / 2 ** 20} MiB` : `${maxBytes} bytes`;
    return new CircuitFormatError(`circuit file ${path} is larger than the limit of ${limit} (maxBytes)`);
  };
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
