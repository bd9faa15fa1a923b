/**
 * A model is quantised for a plaintext prime p (its architecture says which); the HE backend of
 * both parties must compute mod that p. Every HE plugin takes the option `plainModulus` for it
 * (core/he.ts), so the engine sets it from the model unless the configuration chose one.
 */
import { mergeConfig, selectPlugin, type GazelleConfig } from '../config.ts';
import type { PluginRegistry } from '../registry.ts';

export function withPlainModulus(config: GazelleConfig, registry: PluginRegistry, p: number): GazelleConfig {
  const selection = selectPlugin(config, registry, 'he');
  if ('plainModulus' in selection.options || 'plainModulusBits' in selection.options) return config;
  return mergeConfig(config, { plugins: { he: { name: selection.name, options: { ...selection.options, plainModulus: p } } } });
}
