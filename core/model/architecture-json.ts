/**
 * The public architecture as a file (`architecture.json`, pretty JSON) and its fingerprint: the
 * SHA-256 of its canonical JSON (object keys sorted, no whitespace), so that reformatting the file
 * changes nothing and any edit of a value changes the fingerprint.
 */
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../bytes.ts';
import { ModelError, ModelFormatError } from '../errors.ts';
import type { Architecture } from './architecture.ts';
import { validateArchitecture } from './validate.ts';

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the architecture's canonical JSON. */
export function architectureDigest(arch: Architecture): Uint8Array {
  return sha256(new TextEncoder().encode(canonicalJson(arch)));
}

/** The architecture's fingerprint: SHA-256 (hex) of its canonical JSON. */
export function architectureFingerprint(arch: Architecture): string {
  return toHex(architectureDigest(arch));
}

/** The architecture as pretty JSON (what `architecture.json` holds). */
export function architectureToJson(arch: Architecture): string {
  return `${JSON.stringify(arch, null, 2)}\n`;
}

/** Parse and validate an architecture from JSON text read from `file`. */
export function parseArchitecture(text: string, file: string): Architecture {
  let arch: Architecture;
  try {
    arch = JSON.parse(text) as Architecture;
  } catch (error) {
    throw new ModelFormatError(`not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
  try {
    validateArchitecture(arch);
  } catch (error) {
    throw error instanceof ModelError ? error.inFile(file) : error;
  }
  return arch;
}

/** Read and validate `architecture.json` (or any architecture file). */
export function readArchitecture(file: string): Architecture {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelFormatError(`cannot read the architecture: ${(error as Error).message}`, { file }, { cause: error });
  }
  return parseArchitecture(text, file);
}
