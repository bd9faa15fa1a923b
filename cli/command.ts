/** The CLI's command contract: each subcommand is one file under cli/commands/. */
import type { GazelleConfig } from '../core/config.ts';
import type { Progress } from '../core/progress.ts';
import type { PluginRegistry } from '../core/registry.ts';

/**
 * One option of a command. `description` is required: `--help` explains every option (what it
 * does, its valid values, its default), and a test checks that none is left unexplained.
 */
export interface CommandOption {
  readonly type: 'string' | 'boolean';
  /** May be repeated; the values are collected in a list. */
  readonly multiple?: boolean;
  /** One-letter alias (`-h`). */
  readonly short?: string;
  /** How `--help` shows the value of a string option: `HEX[,HEX...]`, `<file>`, `local|lan|wan`. */
  readonly value?: string;
  readonly description: string;
}

export type CommandOptions = Readonly<Record<string, CommandOption>>;

/** Parsed option values by long name: a string, `true` for a boolean flag, a list if `multiple`. */
export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** A mistake in how the command was called: exit code 2 with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  /** Options parsed with the command's own and the global option specs. */
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  /** `--json`: print one JSON document on stdout and nothing else. */
  readonly json: boolean;
  /** `--quiet`: results and errors only; no progress bars, no informational lines on stderr. */
  readonly quiet: boolean;
  /**
   * Where long phases report progress: bars on stderr when a person is watching (stdout and
   * stderr are terminals, no `--json`, no `--quiet`, not in CI), else nothing. Pass it to engines.
   */
  readonly progress: Progress;
  /** Registry with built-ins and every `--plugin` module loaded. */
  readonly registry: PluginRegistry;
  /**
   * Configuration from `--config`, `--profile`, `--use` and, for commands that take the network
   * options (cli/network-options.ts), the network profile: `wire(config, ...)` applies it.
   */
  readonly config: GazelleConfig;
  readonly stdout: (text: string) => void;
  /** Errors and warnings. */
  readonly stderr: (text: string) => void;
  /** Informational lines (what is being done, intermediate figures): stderr, silent with `--quiet`. */
  readonly info: (text: string) => void;
}

export interface CommandExample {
  /** A full command line, starting with `gazelle`. */
  readonly command: string;
  /** What it does or prints. */
  readonly explanation: string;
}

export interface Command {
  readonly name: string;
  /** One line for `gazelle --help`. */
  readonly summary: string;
  /** Usage after `gazelle <name>`: subcommands and positional arguments (options are listed from `options`). */
  readonly usage: string;
  /** Paragraphs for `--help` between the usage line and the options: what the command does, what it prints. */
  readonly description?: string;
  readonly options?: CommandOptions;
  /** At least one example for `--help`. */
  readonly examples: readonly [CommandExample, ...CommandExample[]];
  /** Returns the exit code (0 ok, 1 failure). Throw `UsageError` for usage mistakes. */
  run(context: CommandContext): Promise<number>;
}
