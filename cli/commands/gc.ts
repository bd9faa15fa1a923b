/**
 * `gazelle gc run`: run a Bristol circuit privately between a garbler and an evaluator (both in
 * this process, each speaking only through its own end of an in-memory or loopback TCP connection,
 * shaped to a network profile if one is given).
 */
import { detectBristolFormat, parseBristol, readBristolText, type BristolFormat } from '../../core/circuit/bristol.ts';
import type { Circuit } from '../../core/circuit/circuit.ts';
import { describeNetworkProfile, NETWORK_PROFILES } from '../../core/channel/network-profile.ts';
import { ShapingTransport } from '../../core/channel/shaping-transport.ts';
import { choosePlugin } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import { runGcLocally } from '../../core/gc/local-run.ts';
import { circuitProgram } from '../../core/gc/program.ts';
import { choiceOption, numberOption } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { formatBytes, formatDuration, formatInteger } from '../format.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';

const FORMATS: Readonly<Record<string, BristolFormat>> = { 'bristol-fashion': 'fashion', 'bristol-old': 'old' };
const TRANSPORTS: Readonly<Record<string, string>> = { memory: 'in-memory', tcp: 'tcp' };
const SCHEMES = ['half-gates', 'classic'] as const;
const BIT_ORDERS = ['msb-first', 'lsb-first'] as const;
const DEFAULT_MAX_CIRCUIT_MIB = 64;

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

/**
 * Every circuit input's value from the two parties' lists. Zero-width inputs (an old-format circuit
 * without a second input has one) take no value: the given values fill the other inputs in order,
 * the garbler's first. `garblerInputs` is how many of the circuit's inputs the garbler supplies.
 */
export function assignInputs(widths: readonly number[], garbler: readonly bigint[], evaluator: readonly bigint[]): { garblerInputs: number; values: bigint[] } {
  const slots = widths.flatMap((w, k) => (w > 0 ? [k] : []));
  const given = garbler.length + evaluator.length;
  if (given !== slots.length) {
    const zero = widths.length - slots.length;
    throw new UsageError(
      `the circuit takes ${slots.length} input values (widths ${widths.filter((w) => w > 0).join(', ')} bits` +
        `${zero > 0 ? `; its ${zero} zero-width input${zero > 1 ? 's take' : ' takes'} no value` : ''}), got ${given} ` +
        `(${garbler.length} from --garbler, ${evaluator.length} from --evaluator)`,
    );
  }
  const values = widths.map(() => 0n);
  [...garbler, ...evaluator].forEach((v, i) => {
    const k = slots[i]!;
    if (v >> BigInt(widths[k]!) !== 0n) {
      const who = i < garbler.length ? '--garbler' : '--evaluator';
      throw new UsageError(`input value ${i + 1} (${who}, 0x${v.toString(16)}) does not fit in ${widths[k]} bits`);
    }
    values[k] = v;
  });
  return { garblerInputs: garbler.length === 0 ? 0 : slots[garbler.length - 1]! + 1, values };
}

/** The circuit in `file`, read as `format` (detected if undefined); `--bit-order` only for the old format. */
function loadCircuit(file: string, format: BristolFormat | undefined, bitOrder: (typeof BIT_ORDERS)[number] | undefined, maxMib: number): Circuit {
  let text: string;
  try {
    text = readBristolText(file, maxMib * 2 ** 20);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw new UsageError(`cannot read circuit file ${file}: ${(error as Error).message}`);
    throw error;
  }
  const detected = format ?? detectBristolFormat(text);
  if (bitOrder !== undefined && detected !== 'old') {
    throw new UsageError('--bit-order applies to old-format circuits only (Bristol Fashion files are least significant bit first)');
  }
  return parseBristol(text, { format: detected, ...(bitOrder !== undefined ? { bitOrder } : {}) });
}

export const gcCommand: Command = {
  name: 'gc',
  summary: 'garbled circuits: run a Bristol circuit privately between two parties',
  usage: 'run <circuit-file> [options]',
  description:
    "The garbler supplies the first input values, the evaluator the rest, in the circuit's order\n" +
    '(zero-width inputs take no value). A value is a big-endian hexadecimal integer; wire j of the\n' +
    'value is bit j of that integer. Only the evaluator learns the outputs; it prints one line per\n' +
    'output value, zero-padded to its width in hex digits. Both parties run in this process, each\n' +
    'through its own end of the chosen transport.',
  options: {
    garbler: { type: 'string', value: 'HEX[,HEX...]', description: "the garbler's input values, in the circuit's order (none if omitted)" },
    evaluator: { type: 'string', value: 'HEX[,HEX...]', description: "the evaluator's input values, after the garbler's (none if omitted)" },
    format: {
      type: 'string',
      value: 'bristol-fashion|bristol-old',
      description: 'the file format (default: detected from the third line)',
    },
    'bit-order': {
      type: 'string',
      value: 'msb-first|lsb-first',
      description:
        'bit numbering of an old-format file (not Bristol Fashion): msb-first (default) for the AES and SHA circuits, ' +
        'lsb-first for the arithmetic ones such as adder_32bit',
    },
    scheme: { type: 'string', value: 'half-gates|classic', description: 'garbling scheme (default: the configured one, half-gates)' },
    transport: {
      type: 'string',
      value: 'memory|tcp',
      description: 'in-process channels or a loopback TCP connection (default: the configured one, in-memory); TCP options come from --config',
    },
    'max-circuit-mib': {
      type: 'string',
      value: '<MiB>',
      description: `refuse circuit files larger than this (default ${DEFAULT_MAX_CIRCUIT_MIB} MiB)`,
    },
    ...NETWORK_OPTIONS,
  },
  examples: [
    {
      command: 'gazelle gc run test/vectors/bristol/aes_128.txt --garbler 000102030405060708090a0b0c0d0e0f --evaluator 00112233445566778899aabbccddeeff',
      explanation: 'AES-128 with the garbler\'s key and the evaluator\'s plaintext: prints 69c4e0d86a7b0430d8cdb78070b4c55a (FIPS-197 C.1)',
    },
    {
      command: 'gazelle gc run test/vectors/bristol/old-format/adder_32bit.txt --bit-order lsb-first --garbler ffffffff --evaluator 1',
      explanation: 'an old-format adder numbered least significant bit first: prints 100000000',
    },
    {
      command: 'gazelle gc run test/vectors/bristol/aes_128.txt --garbler 00 --evaluator 00 --transport tcp --network-profile wan --json',
      explanation: 'over loopback TCP shaped to a WAN (400 Mbit/s, 20 ms one way); JSON with gate counts, bytes, rounds, seconds',
    },
  ],
  async run({ positionals, values, json, config, registry, stdout, info }) {
    const [sub, file, ...extra] = positionals;
    if (sub !== 'run') throw new UsageError(sub === undefined ? 'missing subcommand: gc run <circuit-file> ...' : `unknown gc subcommand "${sub}"; valid: run`);
    if (file === undefined) throw new UsageError('missing <circuit-file>');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const formatName = choiceOption(values.format, Object.keys(FORMATS), '--format');
    const bitOrder = choiceOption(values['bit-order'], BIT_ORDERS, '--bit-order');
    const scheme = choiceOption(values.scheme, SCHEMES, '--scheme');
    const transport = choiceOption(values.transport, Object.keys(TRANSPORTS), '--transport');
    const maxMib = numberOption(values['max-circuit-mib'], '--max-circuit-mib', { min: 1, max: 4096, integer: true }) ?? DEFAULT_MAX_CIRCUIT_MIB;
    const garblerValues = parseValues(values.garbler, '--garbler');
    const evaluatorValues = parseValues(values.evaluator, '--evaluator');
    const circuit = loadCircuit(file, formatName === undefined ? undefined : FORMATS[formatName], bitOrder, maxMib);
    const { garblerInputs, values: inputs } = assignInputs(circuit.inputWidths, garblerValues, evaluatorValues);

    let selected = config;
    if (scheme !== undefined) selected = choosePlugin(selected, 'garbling', scheme);
    if (transport !== undefined) selected = choosePlugin(selected, 'transport', TRANSPORTS[transport]!);
    const wiring = await wire(selected, registry, ['transport', 'ot-extension', 'garbling']);
    try {
      const garbling = wiring.get('garbling');
      const link = wiring.get('transport');
      const result = await runGcLocally({
        transport: link,
        ot: wiring.get('ot-extension'),
        program: circuitProgram(circuit, garblerInputs, file),
        garblerInputs: inputs.slice(0, garblerInputs).map((v) => [v]),
        evaluatorInputs: inputs.slice(garblerInputs).map((v) => [v]),
        options: { scheme: garbling },
      });
      const outputs = result.outputs.map((value, k) => value[0]!.toString(16).padStart(Math.ceil(circuit.outputWidths[k]! / 4), '0'));
      const network = describeNetworkProfile(link instanceof ShapingTransport ? link.network : NETWORK_PROFILES.local);
      if (json) {
        stdout(
          JSON.stringify(
            {
              outputs,
              scheme: garbling.name,
              transport: link.name,
              otExtension: wiring.get('ot-extension').name,
              network,
              andGates: result.garbler.and,
              xorGates: result.garbler.xor,
              notGates: result.garbler.not,
              tableBytes: result.garbler.tableBytes,
              bytes: result.bytes,
              rounds: result.rounds,
              seconds: result.seconds,
            },
            null,
            2,
          ),
        );
      } else {
        for (const line of outputs) stdout(line);
        info(
          `${formatInteger(result.garbler.and)} AND gates (${garbling.name}, ${formatBytes(result.garbler.tableBytes)} of tables); ` +
            `sent ${formatBytes(result.bytes.garblerToEvaluator)} to the evaluator, ${formatBytes(result.bytes.evaluatorToGarbler)} back ` +
            `in ${formatInteger(result.rounds)} rounds over ${link.name}${network.profile === 'local' ? '' : ` (${network.profile} network)`}; ` +
            formatDuration(result.seconds),
        );
      }
      return 0;
    } finally {
      await wiring.dispose();
    }
  },
};
