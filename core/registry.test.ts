import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.ts';
import { parseConfig, selectPlugin } from './config.ts';
import { definePlugin } from './plugin.ts';
import { PluginRegistry } from './registry.ts';
import { wire } from './container.ts';
import { builtinRegistry } from '../plugins/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url));

const fakeInsecure = definePlugin({
  kind: 'transport',
  name: 'fake-insecure',
  security: 'insecure-test-only',
  description: 'test double',
  create: () => ({ name: 'fake-insecure' }) as never,
});

describe('plugin registry and configuration', () => {
  it('can be rebuilt from its source (built-ins, then the loaded modules in order), as a worker thread does', async () => {
    const registry = builtinRegistry();
    await registry.loadModule(fixture('external-plugin.ts'));
    const rebuilt = await PluginRegistry.fromSource(structuredClone(registry.source));
    const describe = (r: PluginRegistry) => r.list().map((e) => `${e.plugin.kind}/${e.plugin.name}@${e.origin}`);
    assert.deepEqual(describe(rebuilt), describe(registry));
    assert.ok(describe(rebuilt).some((d) => d.startsWith('transport/in-memory@') && d.endsWith('external-plugin.ts')), 'the override survives');
    assert.deepEqual(new PluginRegistry().source, { modules: [] });
    await assert.rejects(PluginRegistry.fromSource({ builtins: new URL('./errors.ts', import.meta.url).href, modules: [] }), /exports no builtinRegistry/);
  });

  it('names the valid choices for an unknown plugin', () => {
    const registry = builtinRegistry();
    assert.throws(
      () => selectPlugin(parseConfig({ plugins: { transport: 'carrier-pigeon' } }), registry, 'transport'),
      (e: unknown) => e instanceof ConfigError && /unknown transport plugin "carrier-pigeon"; valid choices: .*in-memory/.test(e.message),
    );
  });

  it('rejects unknown kinds, keys and profiles', () => {
    assert.throws(() => parseConfig({ plugins: { teleport: 'x' } }), /unknown plugin kind "teleport"; valid kinds: transport/);
    assert.throws(() => parseConfig({ plugin: {} }), /unknown key "plugin"/);
    assert.throws(() => parseConfig({ profile: 'prod' }), /"profile" must be "production" or "test"/);
    assert.throws(() => parseConfig([]), ConfigError);
  });

  it('refuses an insecure-test-only plugin outside the test profile', () => {
    const registry = builtinRegistry();
    registry.register(fakeInsecure);
    const production = parseConfig({ plugins: { transport: 'fake-insecure' } });
    assert.throws(() => selectPlugin(production, registry, 'transport'), /insecure-test-only and the profile is "production"; choose one of in-memory/);
    const test = parseConfig({ profile: 'test', plugins: { transport: 'fake-insecure' } });
    assert.equal(selectPlugin(test, registry, 'transport').name, 'fake-insecure');
  });

  it('says which kind has no plugin when none is registered', async () => {
    await assert.rejects(wire(parseConfig({}), new PluginRegistry(), ['transport']), /unknown transport plugin "in-memory"; valid choices: \(none registered\)/);
  });

  it('wires the selected plugin under its token', async () => {
    const wiring = await wire(parseConfig({}), builtinRegistry(), ['transport']);
    assert.equal(wiring.get('transport').name, 'in-memory');
    await wiring.dispose();
  });

  it('loads a plugin module from outside the project, replacing the built-in of the same name', async () => {
    const registry = builtinRegistry();
    const loaded = await registry.loadModule(fixture('external-plugin.ts'));
    assert.deepEqual(loaded.map((p) => `${p.kind}/${p.name}`), ['transport/in-memory']);
    const entry = registry.list().find((r) => r.plugin.name === 'in-memory')!;
    assert.match(entry.origin, /external-plugin\.ts$/);
    const wiring = await wire(parseConfig({}), registry, ['transport']);
    assert.equal((wiring.get('transport') as unknown as { replaced: boolean }).replaced, true);
    await wiring.dispose();
  });

  it('rejects modules that export no valid plugin', async () => {
    const registry = builtinRegistry();
    await assert.rejects(registry.loadModule(fixture('not-a-plugin.ts')), /exports no plugin/);
    await assert.rejects(registry.loadModule(fixture('bad-kind-plugin.ts')), /unknown kind "teleporter"; valid kinds/);
    await assert.rejects(registry.loadModule(fixture('does-not-exist.ts')), /cannot load plugin module/);
  });
});
