/**
 * Finding a model by name or directory. `loadModel(x)`:
 * 1. `x` is a directory holding `architecture.json`: that model directory;
 * 2. `models/<x>/` of this repository exists (trained models are committed there): that one;
 * 3. `x` names a built-in network (A, B, C, D, CIFAR, CIFAR-small): its random-weight model
 *    (`randomModel(x)`, quantised from a fixed seed, once per process).
 * A committed directory thus takes precedence over the random model of the same name.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { Model } from './model.ts';
import { ARCHITECTURE_FILE, loadModelDir } from './model-files.ts';
import { NETWORK_NAMES, randomModel } from './networks.ts';

/** The repository's committed models (shipped with the package). */
export const MODELS_DIR = join(PACKAGE_ROOT, 'models');

const randomModels = new Map<string, Model>();

function isModelDir(path: string): boolean {
  return existsSync(join(path, ARCHITECTURE_FILE)) && statSync(path).isDirectory();
}

/** Where `loadModel(nameOrDir)` finds the model: a directory, or `random` for a built-in random one. */
export function resolveModel(nameOrDir: string, modelsDir = MODELS_DIR): { kind: 'directory'; dir: string } | { kind: 'random'; name: string } {
  if (isModelDir(nameOrDir)) return { kind: 'directory', dir: nameOrDir };
  const committed = join(modelsDir, nameOrDir);
  if (/^[\w.-]+$/.test(nameOrDir) && isModelDir(committed)) return { kind: 'directory', dir: committed };
  if (NETWORK_NAMES.includes(nameOrDir)) return { kind: 'random', name: nameOrDir };
  throw new ConfigError(
    `no model "${nameOrDir}": not a directory with ${ARCHITECTURE_FILE}, not a model in ${modelsDir}, not a built-in network; ` +
      `available: ${availableModels(modelsDir).join(', ')}`,
  );
}

/** Load a model by directory or name (see the header comment; `modelsDir` replaces `models/` in tests). */
export function loadModel(nameOrDir: string, modelsDir = MODELS_DIR): Model {
  const where = resolveModel(nameOrDir, modelsDir);
  if (where.kind === 'directory') return loadModelDir(where.dir);
  let model = randomModels.get(where.name);
  if (model === undefined) {
    model = randomModel(where.name).model;
    randomModels.set(where.name, model);
  }
  return model;
}

/** Names `loadModel` knows without a path: the committed models and the built-in networks. */
export function availableModels(modelsDir = MODELS_DIR): string[] {
  const committed = existsSync(modelsDir) ? readdirSync(modelsDir).filter((name) => isModelDir(join(modelsDir, name))) : [];
  return [...new Set([...committed, ...NETWORK_NAMES])];
}
