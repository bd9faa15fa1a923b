import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './errors.ts';
import { DEFAULT_TRANSPORT_OPTIONS, parseTransportOptions } from './transport-options.ts';

describe('transport options', () => {
  it('fills in defaults and keeps given values', () => {
    assert.deepEqual(parseTransportOptions({}), DEFAULT_TRANSPORT_OPTIONS);
    assert.deepEqual(parseTransportOptions({ maxFrameBytes: 1, idleTimeoutMs: 0, connectTimeoutMs: 5 }), {
      maxFrameBytes: 1,
      idleTimeoutMs: 0,
      connectTimeoutMs: 5,
    });
  });

  const bad: [Record<string, unknown>, RegExp][] = [
    [{ maxFrameBytes: 0 }, /"maxFrameBytes".*from 1 to 4294967295, got 0/],
    [{ maxFrameBytes: 2 ** 32 }, /"maxFrameBytes"/],
    [{ idleTimeoutMs: -1 }, /"idleTimeoutMs".*got -1/],
    [{ idleTimeoutMs: 2 ** 31 }, /"idleTimeoutMs"/],
    [{ connectTimeoutMs: 0 }, /"connectTimeoutMs"/],
    [{ connectTimeoutMs: 2.5 }, /"connectTimeoutMs"/],
    [{ maxFrameBytes: '1024' }, /got "1024"/],
    [{ maxFrameBytes: null }, /got null/],
    [{ timeoutMs: 5 }, /unknown option "timeoutMs"; valid options: maxFrameBytes, idleTimeoutMs, connectTimeoutMs/],
  ];
  for (const [options, message] of bad) {
    it(`rejects ${JSON.stringify(options)} with a ConfigError naming the option`, () => {
      assert.throws(() => parseTransportOptions(options, 'tcp'), (e: Error) => e instanceof ConfigError && /^tcp: /.test(e.message) && message.test(e.message));
    });
  }
});
