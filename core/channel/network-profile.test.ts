import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.ts';
import { describeNetworkProfile, isShaped, NETWORK_PROFILES, resolveNetworkProfile } from './network-profile.ts';

describe('network profiles', () => {
  it("lan and wan are OpenCheetah's throttling settings (scripts/throttle.sh: tbf rate, netem delay)", () => {
    // lan: `tbf rate 3000mbit` + `netem delay 0.15msec`; wan: `tbf rate 400mbit` + `netem delay 20msec`.
    assert.deepEqual(NETWORK_PROFILES.lan, { name: 'lan', latencyMs: 0.15, bandwidthBytesPerSecond: 3000e6 / 8 });
    assert.deepEqual(NETWORK_PROFILES.wan, { name: 'wan', latencyMs: 20, bandwidthBytesPerSecond: 400e6 / 8 });
    assert.equal(isShaped(NETWORK_PROFILES.local), false);
    assert.equal(isShaped(NETWORK_PROFILES.lan), true);
  });

  it('explicit figures refine the named profile, else the fallback, else local', () => {
    assert.equal(resolveNetworkProfile({ profile: 'wan' }), NETWORK_PROFILES.wan);
    assert.deepEqual(resolveNetworkProfile({ profile: 'wan', latencyMs: 50 }), { name: 'custom', latencyMs: 50, bandwidthBytesPerSecond: 50e6 });
    assert.deepEqual(resolveNetworkProfile({ bandwidthMbps: 8 }), { name: 'custom', latencyMs: 0, bandwidthBytesPerSecond: 1e6 });
    assert.deepEqual(resolveNetworkProfile({ latencyMs: 1 }, 'cli', NETWORK_PROFILES.lan), { name: 'custom', latencyMs: 1, bandwidthBytesPerSecond: 375e6 });
    assert.equal(resolveNetworkProfile({}, 'cli', NETWORK_PROFILES.lan), NETWORK_PROFILES.lan);
  });

  it('unknown names and figures out of range are ConfigErrors naming the source', () => {
    const fails = (spec: object, pattern: RegExp) =>
      assert.throws(() => resolveNetworkProfile(spec as never, 'my.json: "network"'), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
    fails({ profile: 'moon' }, /^my.json: "network": unknown network profile "moon"; valid: local, lan, wan$/);
    fails({ latencyMs: -1 }, /latencyMs \(one-way delay in milliseconds\) must be a number from 0/);
    fails({ bandwidthMbps: 0 }, /bandwidthMbps \(link speed in Mbit\/s\) must be a number from 0.001/);
    fails({ latencyMs: '20' }, /latencyMs/);
  });

  it('describes a profile in the units users give', () => {
    assert.deepEqual(describeNetworkProfile(NETWORK_PROFILES.wan), { profile: 'wan', latencyMs: 20, bandwidthMbps: 400 });
    assert.deepEqual(describeNetworkProfile(NETWORK_PROFILES.local), { profile: 'local', latencyMs: 0, bandwidthMbps: null });
  });
});
