import type { Command } from '../command.ts';

export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'list the registered plugins with kind, name and security model',
  usage: '[--json] [--plugin <module>]...',
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
      const width = (key: keyof (typeof rows)[number]) => Math.max(key.length, ...rows.map((r) => r[key].length));
      const cols = ['kind', 'name', 'security'] as const;
      const line = (r: Record<string, string>) => cols.map((c) => r[c]!.padEnd(width(c))).join('  ') + '  ' + r.description;
      stdout(line({ kind: 'KIND', name: 'NAME', security: 'SECURITY', description: 'DESCRIPTION' }));
      for (const r of rows) stdout(line(r) + (r.origin === 'builtin' ? '' : `  [${r.origin}]`));
    }
    return 0;
  },
};
