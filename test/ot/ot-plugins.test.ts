// The OT plugins are registered and chosen by configuration; the iknp plugin takes its base OT
// from the container, so the configured base-ot is the one it runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import { ConfigError } from '../../core/errors.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { IknpExtension } from '../../plugins/iknp/iknp.ts';
import { assertCorrelated, otSession } from './ot-contract.ts';

describe('OT plugins by configuration', () => {
  it('the default configuration is iknp over chou-orlandi', async () => {
    const wiring = await wire(parseConfig({}), builtinRegistry(), ['ot-extension']);
    const extension = wiring.get('ot-extension');
    assert.ok(extension instanceof IknpExtension);
    assert.equal(extension.baseOt.name, 'chou-orlandi');
    assert.equal(wiring.get('base-ot'), extension.baseOt);
    await wiring.dispose();
  });

  for (const [extension, baseOt] of [
    ['iknp', 'insecure-ideal-base-ot'],
    ['insecure-ideal-ot', 'chou-orlandi'],
  ] as const) {
    it(`"${extension}" with base-ot "${baseOt}" is selectable in the test profile and runs`, async () => {
      const config = parseConfig({ profile: 'test', plugins: { 'ot-extension': extension, 'base-ot': baseOt } });
      const wiring = await wire(config, builtinRegistry(), ['ot-extension']);
      const ot = wiring.get('ot-extension');
      assert.equal(ot.name, extension);
      if (ot instanceof IknpExtension) assert.equal(ot.baseOt.name, baseOt);
      const s = await otSession(ot);
      const choices = Uint8Array.of(1, 0, 0, 1, 1);
      const [q, t] = await Promise.all([s.sender.sendCorrelated(5), s.receiver.receiveCorrelated(choices)]);
      assertCorrelated(q, t, choices, s.delta);
      await s.pair.close();
      await wiring.dispose();
    });
  }

  it('the insecure test doubles are refused in the production profile', async () => {
    for (const plugins of [{ 'ot-extension': 'insecure-ideal-ot' }, { 'base-ot': 'insecure-ideal-base-ot' }]) {
      await assert.rejects(wire(parseConfig({ plugins }), builtinRegistry(), ['ot-extension']), (e: unknown) => e instanceof ConfigError && /insecure-test-only/.test((e as Error).message));
    }
  });
});
