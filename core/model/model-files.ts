/**
 * A model directory, split along the protocol's trust line (issue 10, item 1):
 * `<dir>/architecture.json`, the public architecture the server may send to any client, and
 * `<dir>/weights.bin`, the server's private weights (weights-file.ts). Loading validates both and
 * each against the other, and proves again that no value can wrap around mod p (bounds.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex } from '../bytes.ts';
import { ConfigError, ModelError, ModelFormatError } from '../errors.ts';
import { randomBytesFrom, systemRandom } from '../random.ts';
import { architectureToJson, readArchitecture } from './architecture-json.ts';
import { requireNoWrap } from './bounds.ts';
import type { Model } from './model.ts';
import { validateModel } from './validate.ts';
import { decodeWeightsFile, encodeWeightsFile, SALT_BYTES } from './weights-file.ts';

export const ARCHITECTURE_FILE = 'architecture.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Write `model` to `dir` (created if needed). A model without a salt gets a fresh one; the model as
 * saved (with its salt) is returned. A model that is malformed or could wrap around is refused.
 */
export function saveModel(dir: string, model: Model): Model {
  validateModel(model);
  requireNoWrap(model);
  const saved: Model = { ...model, salt: model.salt ?? randomBytesFrom(systemRandom(), SALT_BYTES) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ARCHITECTURE_FILE), architectureToJson(model.architecture));
  writeFileSync(join(dir, WEIGHTS_FILE), encodeWeightsFile(model.architecture, model.weights, saved.salt!));
  return saved;
}

/** Read a model directory, with every check of this file's header comment. */
export function loadModelDir(dir: string): Model {
  const architecture = readArchitecture(join(dir, ARCHITECTURE_FILE));
  const weightsPath = join(dir, WEIGHTS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(weightsPath);
  } catch (error) {
    throw new ModelFormatError(`cannot read the weights: ${(error as Error).message}`, { file: weightsPath }, { cause: error });
  }
  const { weights, salt } = decodeWeightsFile(bytes, architecture, weightsPath);
  const model: Model = { architecture, weights, salt };
  try {
    validateModel(model);
    requireNoWrap(model);
  } catch (error) {
    throw error instanceof ModelError ? error.inFile(dir) : error;
  }
  return model;
}

/**
 * A commitment to the model version: SHA-256 (hex) of a domain tag and the weights file (which
 * holds the architecture's SHA-256, the salt and every weight). The salt is secret, so the
 * fingerprint identifies the model without letting anyone confirm guessed weights.
 */
export function modelFingerprint(model: Model): string {
  if (model.salt === undefined) throw new ConfigError('modelFingerprint: the model has no salt; save it (saveModel) or quantise it to get one');
  const tag = new TextEncoder().encode('gazelle-model-fingerprint/1');
  return toHex(sha256(concatBytes([tag, encodeWeightsFile(model.architecture, model.weights, model.salt)])));
}
