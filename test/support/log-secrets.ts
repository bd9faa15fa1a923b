/**
 * Looks for secrets in a text log, in the forms a careless log line would print them: bytes as
 * hex or base64 (any 16-byte window of a secret byte string), integers as a run of at least four
 * comma-separated values that occur consecutively in a secret integer array (weights, pixels,
 * shares). The log is short and the secrets long, so the search goes from the log's runs of
 * digits and letters to the secrets (Buffer.indexOf), not the other way round.
 */
import { Buffer } from 'node:buffer';

export interface Secrets {
  /** Byte strings (HE keys, ciphertexts, labels, shares on the wire), by name. */
  readonly bytes: ReadonlyMap<string, readonly Uint8Array[]>;
  /** Integer arrays (weights, pixels, quantised inputs, shares), by name. */
  readonly integers: ReadonlyMap<string, readonly ArrayLike<number>[]>;
}

export interface SecretFound {
  readonly secret: string;
  /** The text of the log that gave it away. */
  readonly evidence: string;
}

const WINDOW = 16;
const MIN_INTEGER_RUN = 4;

/** Every secret the log reveals (empty: none found). */
export function findSecrets(log: string, secrets: Secrets): SecretFound[] {
  const found: SecretFound[] = [];
  const windows = new WindowIndex(decodedRuns(log));
  for (const [secret, buffers] of secrets.bytes) {
    const evidence = buffers.map((b) => windows.findIn(b)).find((e) => e !== undefined);
    if (evidence !== undefined) found.push({ secret, evidence });
  }
  for (const match of log.matchAll(/-?\d+(?:\s*,\s*-?\d+){3,}/g)) {
    const run = match[0].split(',').map((v) => Number(v.trim()));
    for (const [secret, arrays] of secrets.integers) {
      if (arrays.some((array) => containsRun(array, run))) found.push({ secret, evidence: match[0] });
    }
  }
  return found;
}

/** Runs of hex (both nibble alignments) and base64 (all four alignments) decoded to bytes. */
function* decodedRuns(log: string): Generator<{ evidence: string; bytes: Buffer }> {
  for (const [match] of log.matchAll(/[0-9a-fA-F]{32,}/g)) {
    for (const shift of [0, 1]) {
      const even = match.slice(shift, shift + ((match.length - shift) & ~1));
      yield { evidence: match, bytes: Buffer.from(even, 'hex') };
    }
  }
  for (const [match] of log.matchAll(/[A-Za-z0-9+/_-]{24,}={0,2}/g)) {
    for (let shift = 0; shift < 4; shift++) {
      const body = match.slice(shift).replace(/=+$/, '');
      yield { evidence: match, bytes: Buffer.from(body.slice(0, body.length & ~3), body.includes('-') || body.includes('_') ? 'base64url' : 'base64') };
    }
  }
}

/**
 * Every 16-byte window of the log's decoded runs, indexed by its first four bytes, so that a
 * secret is searched in one pass over its bytes however many windows the log has.
 */
class WindowIndex {
  readonly #byPrefix = new Map<number, { window: Uint8Array; evidence: string }[]>();

  constructor(runs: Iterable<{ evidence: string; bytes: Buffer }>) {
    for (const { evidence, bytes } of runs) {
      for (let offset = 0; offset + WINDOW <= bytes.length; offset++) {
        const window = bytes.subarray(offset, offset + WINDOW);
        const key = prefix(window, 0);
        const list = this.#byPrefix.get(key) ?? [];
        list.push({ window, evidence });
        this.#byPrefix.set(key, list);
      }
    }
  }

  /** The evidence of a window that occurs in `secret`, if one does. */
  findIn(secret: Uint8Array): string | undefined {
    if (this.#byPrefix.size === 0) return undefined;
    for (let i = 0; i + WINDOW <= secret.length; i++) {
      const candidates = this.#byPrefix.get(prefix(secret, i));
      if (!candidates) continue;
      for (const { window, evidence } of candidates) {
        let same = true;
        for (let j = 4; j < WINDOW && same; j++) same = window[j] === secret[i + j];
        if (same) return evidence;
      }
    }
    return undefined;
  }
}

function prefix(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function containsRun(array: ArrayLike<number>, run: readonly number[]): boolean {
  if (run.length < MIN_INTEGER_RUN) return false;
  outer: for (let i = 0; i + run.length <= array.length; i++) {
    for (let j = 0; j < run.length; j++) if (array[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}
