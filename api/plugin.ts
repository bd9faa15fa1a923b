/**
 * `gazelle-ts/plugin`: what a plugin author needs, and nothing else. A plugin module exports
 * `definePlugin({ kind, name, security, description, create })`; `create` returns an object that
 * implements the kind's interface (below) and may take plugins of earlier kinds from its second
 * argument (`plugins.get('base-ot')`).
 *
 * ```ts
 * import { definePlugin, type GarblingScheme } from 'gazelle-ts/plugin';
 * export default definePlugin({ kind: 'garbling', name: 'my-scheme', security: 'semi-honest',
 *   description: 'my garbling scheme', create: (options) => new MyScheme(options) });
 * ```
 */
export { definePlugin, PLUGIN_KINDS, SECURITY_MODELS } from '../core/plugin.ts';
export type { AnyPlugin, Plugin, PluginKind, PluginKinds, PluginOptions, Plugins, SecurityModel } from '../core/plugin.ts';

// The interfaces a plugin of each kind implements (PluginKinds maps kind → interface).
export type { Address, ChannelPair, Listener, SessionHandler, Transport, TransportOptions } from '../core/transport.ts';
export type { Channel, MessageKind, Party } from '../core/channel.ts';
export { ChannelDecorator } from '../core/channel/channel-decorator.ts';
export type { BaseOt, OtExtension, OtReceiver, OtSender } from '../core/ot.ts';
export type { GarblingScheme } from '../core/garbling.ts';
export type { FinishedCiphertext, HeBackend, HeCiphertext, HeClientKeys, HeParameters, HePlaintext, HeServerKeys } from '../core/he.ts';
export type { Conv2dSpec, DenseSpec, LinearKernels, LinearSpec, LinearWeights, OpCounts, PreparedLinear, PrepareOptions, SlotLayout } from '../core/linear.ts';
export type { Disposable } from '../core/dispose.ts';

// What plugins throw: typed errors with messages that say what happened.
export { CircuitFormatError, ConfigError, GazelleError, ProtocolError, SecurityError, TransportError } from '../core/errors.ts';
