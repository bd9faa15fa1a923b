/**
 * The command line's one argument parser and its value checks: every command's options go through
 * `parseCommandLine`, and every option value is checked by one of the helpers below, so mistakes
 * read the same everywhere (a `UsageError`, exit code 2, naming the option and what it accepts).
 *
 * Built on node:util's parseArgs in its non-strict, token mode, because its strict mode words
 * errors as `TypeError`s with Node's own phrasing and refuses `--garbler -1` as "ambiguous" while
 * accepting `--garbler=-1`. Here an option's value may start with a dash (`-1`), exactly as with
 * `=`; only a following `--option` (or `-h`) means the value was forgotten.
 */
import { parseArgs } from 'node:util';
import { UsageError, type CommandOptions, type OptionValues } from './command.ts';

export interface ParsedCommandLine {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
}

/** Parse `args` against `options` (long names; `short` letters allowed where declared). */
export function parseCommandLine(args: readonly string[], options: CommandOptions): ParsedCommandLine {
  const spec = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short !== undefined ? { short: o.short } : {}) }]),
  );
  const shorts = new Set(Object.values(options).flatMap((o) => (o.short !== undefined ? [`-${o.short}`] : [])));
  const { tokens } = parseArgs({ args: [...args], options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const option = options[token.name];
    const flag = token.rawName.startsWith('--') ? token.rawName : `--${token.name}`;
    if (option === undefined || !token.rawName.startsWith('--') && option.short === undefined) {
      throw new UsageError(`unknown option ${token.rawName}; valid options: ${Object.keys(options).map((n) => `--${n}`).join(', ')}`);
    }
    let value: string | boolean;
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value (got ${flag}=${token.value})`);
      value = true;
    } else {
      const forgotten = token.value === undefined || (!token.inlineValue && (token.value.startsWith('--') || shorts.has(token.value)));
      if (forgotten) throw new UsageError(`${flag} needs a value: ${flag} ${option.value ?? '<value>'}`);
      value = token.value!;
    }
    if (option.multiple) {
      ((values[token.name] ??= []) as string[]).push(value as string);
    } else {
      if (token.name in values) throw new UsageError(`${flag} is given more than once`);
      values[token.name] = value;
    }
  }
  return { values, positionals };
}

/** The value of an option the command cannot run without. */
export function requiredOption(values: OptionValues, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${flag}`);
  return value;
}

/** `value` if it is one of `valid` (or undefined when the option is absent). */
export function choiceOption<T extends string>(value: OptionValues[string], valid: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(valid as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${valid.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/**
 * A decimal number in [min, max] (or undefined when absent): `--latency-ms 0.15`. No hex, no
 * exponent-less garbage: the whole text must be a number.
 */
export function numberOption(value: OptionValues[string], flag: string, range: { min: number; max: number; integer?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  const number = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
  const kind = range.integer ? 'an integer' : 'a number';
  if (!Number.isFinite(number) || (range.integer && !Number.isInteger(number)) || number < range.min || number > range.max) {
    throw new UsageError(`${flag} must be ${kind} from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`);
  }
  return number;
}
