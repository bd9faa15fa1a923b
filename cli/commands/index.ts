/** Every CLI subcommand. A new command is one file in this folder and one entry here. */
import type { Command } from '../command.ts';
import { benchCommand } from './bench.ts';
import { gcCommand } from './gc.ts';
import { inferCommand } from './infer.ts';
import { pluginsCommand } from './plugins.ts';

export const COMMANDS: readonly Command[] = [pluginsCommand, benchCommand, gcCommand, inferCommand];
