/** Every CLI subcommand. A new command is one file in this folder and one entry here. */
import type { Command } from '../command.ts';
import { auditCommand } from './audit.ts';
import { benchCommand } from './bench.ts';
import { compareCommand } from './compare.ts';
import { demoCommand } from './demo.ts';
import { gcCommand } from './gc.ts';
import { importCommand } from './import.ts';
import { inferCommand } from './infer.ts';
import { pluginsCommand } from './plugins.ts';
import { serveCommand } from './serve.ts';
import { verifyImportCommand } from './verify-import.ts';

export const COMMANDS: readonly Command[] = [demoCommand, inferCommand, serveCommand, auditCommand, compareCommand, pluginsCommand, benchCommand, gcCommand, importCommand, verifyImportCommand];
