/** The built-in plugins. A new plugin is one import and one entry here. */
import type { AnyPlugin } from '../core/plugin.ts';
import { PluginRegistry } from '../core/registry.ts';
import inMemoryTransport from './transport-memory/index.ts';
import tcpTransport from './transport-tcp/index.ts';
import halfGates from './half-gates/index.ts';
import classicGarbling from './classic-gc/index.ts';
import chouOrlandi from './chou-orlandi/index.ts';
import insecureIdealBaseOt from './insecure-ideal-base-ot/index.ts';
import iknp from './iknp/index.ts';
import insecureIdealOt from './insecure-ideal-ot/index.ts';
import sealBfv from './seal-bfv/index.ts';
import insecureSealBfvNoFlooding from './insecure-seal-bfv-no-flooding/index.ts';
import insecurePlainHe from './insecure-plain-he/index.ts';
import gazelleKernels from './gazelle-kernels/index.ts';
import uniformMasksPlugin from './uniform-masks/index.ts';
import insecureIknpPadReuse from './insecure-iknp-pad-reuse/index.ts';
import insecureIknpFixedSeed from './insecure-iknp-fixed-seed/index.ts';
import insecureHalfGatesPermuteLeak from './insecure-half-gates-permute-leak/index.ts';
import insecureMasksZero from './insecure-masks-zero/index.ts';
import insecureMasksReused from './insecure-masks-reused/index.ts';
import insecureMasksBiased from './insecure-masks-biased/index.ts';
import insecureMasksFixedSeed from './insecure-masks-fixed-seed/index.ts';
import insecureMasksSkipLastSlot from './insecure-masks-skip-last-slot/index.ts';

export const BUILTIN_PLUGINS: readonly AnyPlugin[] = [
  inMemoryTransport, tcpTransport, halfGates, classicGarbling, chouOrlandi, insecureIdealBaseOt, iknp, insecureIdealOt, insecurePlainHe, gazelleKernels,
  sealBfv, insecureSealBfvNoFlooding, uniformMasksPlugin, insecureIknpPadReuse, insecureIknpFixedSeed, insecureHalfGatesPermuteLeak,
  insecureMasksZero, insecureMasksReused, insecureMasksBiased, insecureMasksFixedSeed, insecureMasksSkipLastSlot,
];

/** A registry holding every built-in plugin. */
export function builtinRegistry(): PluginRegistry {
  const registry = new PluginRegistry(import.meta.url);
  for (const plugin of BUILTIN_PLUGINS) registry.register(plugin);
  return registry;
}
