/** The options every command takes (main.ts handles them before the command runs). */
import type { CommandOptions } from './command.ts';

export const GLOBAL_OPTIONS: CommandOptions = {
  json: { type: 'boolean', description: 'machine-readable output: one JSON document on stdout (errors too: {"error": {type, message}})' },
  quiet: { type: 'boolean', short: 'q', description: 'results and errors only: no progress bars and no informational lines on stderr' },
  config: {
    type: 'string',
    value: '<file>',
    description: 'JSON configuration: { "profile", "plugins": { kind: name | { "name", "options" } }, "pluginModules", "network" }',
  },
  plugin: { type: 'string', multiple: true, value: '<module>', description: 'load plugins from a module; one with the kind and name of a built-in replaces it' },
  use: { type: 'string', multiple: true, value: '<kind=name>', description: 'select a plugin for a kind, overriding the configuration (its options stay if the name is the same)' },
  profile: { type: 'string', value: 'production|test', description: 'production (default) refuses insecure-test-only plugins; test allows them' },
  help: { type: 'boolean', short: 'h', description: 'show this help (after a command: its options and examples)' },
};
