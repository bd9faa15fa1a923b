/** `--help` texts, built from the commands' declarations (cli/command.ts): usage, description, every option, examples. */
import type { Command, CommandOption, CommandOptions } from './command.ts';

const WIDTH = 100;

/** `text` wrapped to `WIDTH` columns, every line indented by `indent` spaces (existing line breaks kept). */
function wrap(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        if (line !== '' && pad.length + line.length + 1 + word.length > WIDTH) {
          lines.push(pad + line);
          line = word;
        } else {
          line = line === '' ? word : `${line} ${word}`;
        }
      }
      lines.push(pad + line);
      return lines.join('\n');
    })
    .join('\n');
}

function optionName(name: string, option: CommandOption): string {
  const long = `--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`;
  return option.short !== undefined ? `-${option.short}, ${long}` : `    ${long}`;
}

/** One entry per option: its name and value on one line, its explanation indented below. */
export function renderOptions(options: CommandOptions): string {
  return Object.entries(options)
    .map(([name, option]) => `  ${optionName(name, option)}${option.multiple ? '  (repeatable)' : ''}\n${wrap(option.description, 8)}`)
    .join('\n');
}

export function renderCommandHelp(command: Command, globalOptions: CommandOptions): string {
  const sections = [`Usage: gazelle ${command.name} ${command.usage}`, wrap(command.summary, 0)];
  if (command.description !== undefined) sections.push(wrap(command.description, 0));
  if (command.options !== undefined && Object.keys(command.options).length > 0) sections.push(`Options:\n${renderOptions(command.options)}`);
  sections.push(`Global options:\n${renderOptions(globalOptions)}`);
  sections.push(`Examples:\n${command.examples.map((e) => `  ${e.command}\n${wrap(e.explanation, 6)}`).join('\n\n')}`);
  return sections.join('\n\n');
}

export function renderMainHelp(commands: readonly Command[], globalOptions: CommandOptions): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'gazelle: private CNN inference (BFV + garbled circuits) and its verification harness',
    'Usage: gazelle <command> [options]        gazelle <command> --help  for a command\'s options and examples',
    `Commands:\n${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}`,
    `Global options (every command):\n${renderOptions(globalOptions)}`,
    'Examples:\n  gazelle plugins\n  gazelle gc run --help\n  gazelle bench ot --quick',
    'Exit codes: 0 ok, 1 failure, 2 usage or configuration error.',
  ].join('\n\n');
}
