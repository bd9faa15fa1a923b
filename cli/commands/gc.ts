/**
 * `gazelle gc run`: run a Bristol circuit privately between a garbler and an evaluator (both in
 * this process, each speaking only through its own end of an in-memory or loopback TCP connection).
 */
import { loadBristolFile, type BristolFormat } from '../../core/circuit/bristol.ts';
import type { Circuit } from '../../core/circuit/circuit.ts';
import { mergeConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import { runGcLocally } from '../../core/gc/local-run.ts';
import { circuitProgram } from '../../core/gc/program.ts';
import { UsageError, type Command } from '../command.ts';

const FORMATS: Readonly<Record<string, BristolFormat>> = { 'bristol-fashion': 'fashion', 'bristol-old': 'old' };
const TRANSPORTS: Readonly<Record<string, string>> = { memory: 'in-memory', tcp: 'tcp' };
const SCHEMES = ['half-gates', 'classic'];

const USAGE =
  'run <circuit-file> --garbler HEX[,HEX...] --evaluator HEX[,HEX...] [--format bristol-fashion|bristol-old] ' +
  '[--scheme half-gates|classic] [--transport memory|tcp] [--json]\n' +
  '  The garbler supplies the first input values, the evaluator the rest, in the circuit\'s order.\n' +
  '  A value is a big-endian hexadecimal integer; wire j of the value is bit j of that integer.\n' +
  '  Prints one line per output value, zero-padded to its width in hex digits.';

function choice(value: unknown, valid: readonly string[], flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !valid.includes(value)) throw new UsageError(`${flag} must be one of ${valid.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

/** Comma-separated hex values (an empty flag means none). */
function parseValues(text: unknown, flag: string): bigint[] {
  if (text === undefined || text === '') return [];
  if (typeof text !== 'string') throw new UsageError(`${flag} expects HEX[,HEX...]`);
  return text.split(',').map((raw, i) => {
    const hex = raw.trim().replace(/^0x/i, '');
    if (!/^[0-9a-fA-F]+$/.test(hex)) throw new UsageError(`${flag}: value ${i + 1} ${JSON.stringify(raw)} is not a hexadecimal integer`);
    return BigInt(`0x${hex}`);
  });
}

function checkInputs(circuit: Circuit, garbler: bigint[], evaluator: bigint[]): void {
  const widths = circuit.inputWidths;
  const given = garbler.length + evaluator.length;
  if (given !== widths.length) {
    throw new UsageError(
      `the circuit takes ${widths.length} input values (widths ${widths.join(', ')} bits), got ${given} ` +
        `(${garbler.length} from --garbler, ${evaluator.length} from --evaluator)`,
    );
  }
  [...garbler, ...evaluator].forEach((v, k) => {
    if (v >> BigInt(widths[k]!) !== 0n) {
      const who = k < garbler.length ? '--garbler' : '--evaluator';
      throw new UsageError(`input value ${k + 1} (${who}, 0x${v.toString(16)}) does not fit in ${widths[k]} bits`);
    }
  });
}

export const gcCommand: Command = {
  name: 'gc',
  summary: 'garbled circuits: run a Bristol circuit privately between two parties',
  usage: USAGE,
  options: {
    garbler: { type: 'string' },
    evaluator: { type: 'string' },
    format: { type: 'string' },
    scheme: { type: 'string' },
    transport: { type: 'string' },
  },
  async run({ positionals, values, json, registry, config, stdout }) {
    const [sub, file, ...extra] = positionals;
    if (sub !== 'run') throw new UsageError(sub === undefined ? 'missing subcommand: gc run <circuit-file> ...' : `unknown gc subcommand "${sub}"; valid: run`);
    if (file === undefined) throw new UsageError('missing <circuit-file>');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const format = choice(values.format, Object.keys(FORMATS), '--format');
    const scheme = choice(values.scheme, SCHEMES, '--scheme');
    const transport = choice(values.transport, Object.keys(TRANSPORTS), '--transport');
    const garblerValues = parseValues(values.garbler, '--garbler');
    const evaluatorValues = parseValues(values.evaluator, '--evaluator');
    let circuit: Circuit;
    try {
      circuit = loadBristolFile(file, { format: format === undefined ? 'auto' : FORMATS[format]! });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) throw new UsageError(`cannot read circuit file ${file}: ${(error as Error).message}`);
      throw error;
    }
    checkInputs(circuit, garblerValues, evaluatorValues);

    const selected = mergeConfig(config, {
      plugins: {
        ...(scheme !== undefined ? { garbling: { name: scheme, options: {} } } : {}),
        ...(transport !== undefined ? { transport: { name: TRANSPORTS[transport]!, options: {} } } : {}),
      },
    });
    const wiring = await wire(selected, registry, ['transport', 'ot-extension', 'garbling']);
    try {
      const garbling = wiring.get('garbling');
      const result = await runGcLocally({
        transport: wiring.get('transport'),
        ot: wiring.get('ot-extension'),
        program: circuitProgram(circuit, garblerValues.length, file),
        garblerInputs: garblerValues.map((v) => [v]),
        evaluatorInputs: evaluatorValues.map((v) => [v]),
        options: { scheme: garbling },
      });
      const outputs = result.outputs.map((value, k) => value[0]!.toString(16).padStart(Math.ceil(circuit.outputWidths[k]! / 4), '0'));
      if (json) {
        stdout(
          JSON.stringify(
            {
              outputs,
              scheme: garbling.name,
              transport: wiring.get('transport').name,
              otExtension: wiring.get('ot-extension').name,
              andGates: result.garbler.and,
              xorGates: result.garbler.xor,
              notGates: result.garbler.not,
              tableBytes: result.garbler.tableBytes,
              bytes: result.bytes,
              seconds: result.seconds,
            },
            null,
            2,
          ),
        );
      } else {
        for (const line of outputs) stdout(line);
      }
      return 0;
    } finally {
      await wiring.dispose();
    }
  },
};
