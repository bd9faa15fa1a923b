/** The CLI's command contract: each subcommand is one file under cli/commands/. */
import type { ParseArgsConfig } from 'node:util';
import type { GazelleConfig } from '../core/config.ts';
import type { PluginRegistry } from '../core/registry.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how the command was called: exit code 2 with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  /** Options parsed with the command's own and the global option specs. */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
  /** `--json`: print one JSON document on stdout and nothing else. */
  readonly json: boolean;
  /** Registry with built-ins and every `--plugin` module loaded. */
  readonly registry: PluginRegistry;
  /** Configuration from `--config`, `--profile` and `--use`. */
  readonly config: GazelleConfig;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface Command {
  readonly name: string;
  /** One line for `gazelle --help`. */
  readonly summary: string;
  /** Usage text after `gazelle <name>`, with its options. */
  readonly usage: string;
  readonly options?: OptionSpec;
  /** Returns the exit code (0 ok, 1 failure). Throw `UsageError` for usage mistakes. */
  run(context: CommandContext): Promise<number>;
}
