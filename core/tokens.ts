/**
 * Dependency-injection tokens, one per plugin kind. Register and inject with these explicitly
 * (`@inject(TOKENS.Garbling)`): tsx/esbuild emits no decorator metadata, so type-based injection
 * would silently fail.
 */
import type { PluginKind } from './plugin.ts';

export const TOKENS = {
  Transport: Symbol.for('gazelle.Transport'),
  BaseOt: Symbol.for('gazelle.BaseOt'),
  OtExtension: Symbol.for('gazelle.OtExtension'),
  Garbling: Symbol.for('gazelle.Garbling'),
  He: Symbol.for('gazelle.He'),
  Linear: Symbol.for('gazelle.Linear'),
  Masks: Symbol.for('gazelle.Masks'),
  Config: Symbol.for('gazelle.Config'),
} as const;

export const KIND_TOKENS: Readonly<Record<PluginKind, symbol>> = {
  transport: TOKENS.Transport,
  'base-ot': TOKENS.BaseOt,
  'ot-extension': TOKENS.OtExtension,
  garbling: TOKENS.Garbling,
  he: TOKENS.He,
  linear: TOKENS.Linear,
  masks: TOKENS.Masks,
};
