/**
 * Instruments for auditing whole inferences without touching the engine: the configured plugins of
 * the kinds where the parties' secrets and derived values live are wrapped in recording decorators
 * with the same kind and name (a plugin with the same kind and name replaces the built-in, README
 * "Writing a plugin"), so both parties run exactly the configured code and the harness learns:
 * - from the client's garbling scheme, the point-and-permute bit of every AND output label it
 *   evaluates (part of what the evaluator derives, `PermuteBitRecorder`);
 * - from the server's mask sampler, every mask it draws (a canary for the client's view);
 * - from the server's OT sender, its Δ (a canary for the client's view).
 * The decorators change nothing the parties compute or send.
 */
import { selectPlugin, type GazelleConfig } from '../core/config.ts';
import type { MaskSampler } from '../core/masks.ts';
import type { OtExtension } from '../core/ot.ts';
import { definePlugin, type Plugin, type PluginKind, type PluginKinds } from '../core/plugin.ts';
import { PluginRegistry } from '../core/registry.ts';
import { PermuteBitRecorder } from './observed-scheme.ts';

/** What the instruments recorded since the last `take()`. */
export interface Recorded {
  readonly permuteBits: Uint8Array;
  readonly masks: readonly Uint32Array[];
  readonly deltas: readonly Uint8Array[];
}

export class Instruments {
  readonly #permuteBits: number[] = [];
  #masks: Uint32Array[] = [];
  #deltas: Uint8Array[] = [];

  /** A copy of `base` (rebuilt from its source: built-ins and plugin modules) whose configured garbling, masks and OT extension record here. */
  async registry(base: PluginRegistry, config: GazelleConfig): Promise<PluginRegistry> {
    const registry = await PluginRegistry.fromSource(base.source);
    this.#wrap(registry, config, 'garbling', (scheme) => new PermuteBitRecorder(scheme, this.#permuteBits));
    this.#wrap(registry, config, 'masks', (masks): MaskSampler => ({
      name: masks.name,
      sample: (random, count, p) => {
        const values = masks.sample(random, count, p);
        this.#masks.push(values.slice());
        return values;
      },
    }));
    this.#wrap(registry, config, 'ot-extension', (ot): OtExtension => ({
      name: ot.name,
      extensionBytes: (count) => ot.extensionBytes(count),
      sender: (channel, delta, options) => {
        this.#deltas.push(delta.slice());
        return ot.sender(channel, delta, options);
      },
      receiver: (channel, options) => ot.receiver(channel, options),
    }));
    return registry;
  }

  /** Everything recorded since the last call, and forget it. */
  take(): Recorded {
    const recorded = { permuteBits: Uint8Array.from(this.#permuteBits), masks: this.#masks, deltas: this.#deltas };
    this.#permuteBits.length = 0;
    this.#masks = [];
    this.#deltas = [];
    return recorded;
  }

  #wrap<K extends PluginKind>(registry: PluginRegistry, config: GazelleConfig, kind: K, decorate: (inner: PluginKinds[K]) => PluginKinds[K]): void {
    const plugin = registry.get(kind, selectPlugin(config, registry, kind).name) as Plugin<K>;
    const wrapped: Plugin<K> = { ...plugin, create: async (options, container) => decorate(await plugin.create(options, container)) };
    registry.register(definePlugin(wrapped) as never);
  }
}
