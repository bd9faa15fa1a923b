/** The Cucumber world: what a scenario has run and seen. */
import { setWorldConstructor, World } from '@cucumber/cucumber';

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

export class GazelleWorld extends World {
  lastCommand: CommandResult | undefined;
  /** Free-form scenario state for step files (each file namespaces its keys). */
  readonly state = new Map<string, unknown>();
}

setWorldConstructor(GazelleWorld);
