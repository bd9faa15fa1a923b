// Every command's --help explains every option and shows examples that the parser accepts, so a
// new command or option cannot ship unexplained (the type system requires the fields; this checks
// that they say something and stay true to the options).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandLine } from './args.ts';
import { COMMANDS } from './commands/index.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import { renderCommandHelp, renderMainHelp } from './help.ts';

describe('--help', () => {
  for (const command of COMMANDS) {
    it(`gazelle ${command.name} --help explains every option and has examples the parser accepts`, () => {
      const help = renderCommandHelp(command, GLOBAL_OPTIONS);
      const options = { ...GLOBAL_OPTIONS, ...command.options };
      for (const [name, option] of Object.entries(options)) {
        assert.ok(option.description.trim().length >= 10, `--${name} has no real description`);
        assert.ok(help.includes(`--${name}`), `--${name} is missing from the help`);
      }
      assert.ok(command.examples.length >= 1);
      for (const example of command.examples) {
        const [program, name, ...args] = example.command.split(/\s+/).filter((word) => word !== '>' && !word.endsWith('.json'));
        assert.equal(`${program} ${name}`, `gazelle ${command.name}`, example.command);
        assert.doesNotThrow(() => parseCommandLine(args, options), example.command);
        assert.ok(help.includes(example.command) && help.includes(example.explanation.split(' ')[0]!));
      }
    });
  }

  it('gazelle --help lists every command', () => {
    const help = renderMainHelp(COMMANDS, GLOBAL_OPTIONS);
    for (const command of COMMANDS) assert.match(help, new RegExp(`^  ${command.name} +${command.summary.slice(0, 20)}`, 'm'));
  });
});
