/**
 * Where a report's figures were measured: package, Node and node-seal versions, the machine and its
 * load at the time (a time figure means little without the load of a shared machine).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_VERSION } from '../../core/package-root.ts';

export interface Environment {
  readonly gazelle: string;
  readonly node: string;
  readonly nodeSeal: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  /** One-minute load average when the report was made. */
  readonly loadAverage: number;
  /** ISO 8601 time the report was made. */
  readonly date: string;
}

/** The version of an installed dependency, read from its package.json next to its entry point. */
function dependencyVersion(name: string): string {
  const require = createRequire(import.meta.url);
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name && manifest.version) return manifest.version;
    } catch {
      // no package.json at this level: go up
    }
  }
  return 'unknown';
}

export function currentEnvironment(now = new Date()): Environment {
  return {
    gazelle: PACKAGE_VERSION,
    node: process.version,
    nodeSeal: dependencyVersion('node-seal'),
    platform: `${platform()} ${arch()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    loadAverage: Number(loadavg()[0]!.toFixed(2)),
    date: now.toISOString(),
  };
}
