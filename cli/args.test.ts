import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { choiceOption, numberOption, parseCommandLine } from './args.ts';
import { UsageError, type CommandOptions } from './command.ts';

const OPTIONS: CommandOptions = {
  garbler: { type: 'string', value: 'HEX', description: 'values' },
  json: { type: 'boolean', description: 'json' },
  plugin: { type: 'string', multiple: true, description: 'modules' },
  help: { type: 'boolean', short: 'h', description: 'help' },
};

const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

describe('parseCommandLine', () => {
  it('reads options, flags, repeated options and positionals', () => {
    const { values, positionals } = parseCommandLine(['run', 'f.txt', '--garbler', 'ff', '--json', '--plugin', 'a', '--plugin=b', '-h'], OPTIONS);
    assert.deepEqual(positionals, ['run', 'f.txt']);
    assert.deepEqual(values, { garbler: 'ff', json: true, plugin: ['a', 'b'], help: true });
  });

  it('takes a value that starts with a dash after a space exactly as after "="', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((v) => !v.startsWith('--') && v !== '-h'), (value) => {
        const spaced = parseCommandLine(['--garbler', value], OPTIONS).values;
        const joined = parseCommandLine([`--garbler=${value}`], OPTIONS).values;
        assert.deepEqual(spaced, joined);
        assert.equal(spaced.garbler, value);
      }),
    );
    assert.equal(parseCommandLine(['--garbler', '-1'], OPTIONS).values.garbler, '-1');
  });

  it('says which option lacks its value instead of taking the next option as the value', () => {
    assert.throws(() => parseCommandLine(['--garbler', '--json'], OPTIONS), usage(/^--garbler needs a value: --garbler HEX$/));
    assert.throws(() => parseCommandLine(['--garbler', '-h'], OPTIONS), usage(/--garbler needs a value/));
    assert.throws(() => parseCommandLine(['--garbler'], OPTIONS), usage(/--garbler needs a value/));
    assert.equal(parseCommandLine(['--garbler=--json'], OPTIONS).values.garbler, '--json', 'with "=", the value is whatever follows');
  });

  it('names unknown options and the valid ones, in plain words with balanced quotes', () => {
    assert.throws(() => parseCommandLine(['--bogus'], OPTIONS), usage(/^unknown option --bogus; valid options: --garbler, --json, --plugin, --help$/));
    assert.throws(() => parseCommandLine(['-x'], OPTIONS), usage(/^unknown option -x;/));
  });

  it('refuses a value for a flag and a single-valued option given twice', () => {
    assert.throws(() => parseCommandLine(['--json=yes'], OPTIONS), usage(/^--json takes no value \(got --json=yes\)$/));
    assert.throws(() => parseCommandLine(['--garbler', '1', '--garbler', '2'], OPTIONS), usage(/--garbler is given more than once/));
  });

  it('stops reading options after "--"', () => {
    assert.deepEqual(parseCommandLine(['--', '--json'], OPTIONS).positionals, ['--json']);
  });
});

describe('option value checks', () => {
  it('choiceOption accepts the listed values only', () => {
    assert.equal(choiceOption('lan', ['local', 'lan'], '--network-profile'), 'lan');
    assert.equal(choiceOption(undefined, ['local'], '--x'), undefined);
    assert.throws(() => choiceOption('moon', ['local', 'lan'], '--network-profile'), usage(/^--network-profile must be one of local, lan, got "moon"$/));
  });

  it('numberOption reads decimal numbers in range and nothing else', () => {
    assert.equal(numberOption('0.15', '--latency-ms', { min: 0, max: 10 }), 0.15);
    assert.equal(numberOption('1e3', '--latency-ms', { min: 0, max: 1e4 }), 1000);
    for (const bad of ['', 'abc', '0x10', '1.5.2', '-1', '11', 'Infinity', 'NaN', '2 ms']) {
      assert.throws(() => numberOption(bad, '--latency-ms', { min: 0, max: 10 }), usage(/^--latency-ms must be a number from 0 to 10/), bad);
    }
    assert.throws(() => numberOption('1.5', '--max', { min: 1, max: 9, integer: true }), usage(/must be an integer/));
  });
});
