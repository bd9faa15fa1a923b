import type { Command } from '../command.ts';
import { renderTable } from '../format.ts';

export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'list the registered plugins with kind, name and security model',
  usage: '[options]',
  description:
    'Every plugin the configuration can choose from: the built-ins and those of --plugin modules and the\n' +
    'configuration\'s "pluginModules". Security model: semi-honest, or insecure-test-only (test doubles,\n' +
    'refused unless the profile is test). Plugins loaded from a module show the module\'s path.',
  examples: [
    { command: 'gazelle plugins', explanation: 'a table of kind, name, security model and description' },
    { command: 'gazelle plugins --json', explanation: 'the same as JSON: { "plugins": [{ kind, name, security, description, origin }] }' },
    { command: 'gazelle plugins --plugin ./my-ot.ts', explanation: 'with the plugins of a module of your own (TypeScript or JavaScript)' },
  ],
  async run({ registry, json, stdout }) {
    const rows = registry.list().map(({ plugin, origin }) => ({
      kind: plugin.kind,
      name: plugin.name,
      security: plugin.security,
      description: plugin.description,
      origin,
    }));
    if (json) {
      stdout(JSON.stringify({ plugins: rows }, null, 2));
    } else {
      const table = rows.map((r) => [r.kind, r.name, r.security, r.description + (r.origin === 'builtin' ? '' : `  [${r.origin}]`)]);
      stdout(renderTable(['KIND', 'NAME', 'SECURITY', 'DESCRIPTION'], table));
    }
    return 0;
  },
};
