/**
 * Entry point for Bristol files of either format: format detection, dispatch, and file loading.
 */
import { readFileSync } from 'node:fs';
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

/** Read and parse a Bristol file (UTF-8 text). File-system errors propagate unchanged. */
export function loadBristolFile(path: string, options?: BristolParseOptions): Circuit {
  return parseBristol(readFileSync(path, 'utf8'), options);
}
