import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import { UsageError } from './command.ts';
import { parseHostPort, tcpConfig } from './tcp-options.ts';

describe('HOST:PORT of --connect', () => {
  it('reads a name, an IPv4 and a bracketed IPv6 address', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:7470', '--connect'), { host: '127.0.0.1', port: 7470 });
    assert.deepEqual(parseHostPort('gazelle.internal:1', '--connect'), { host: 'gazelle.internal', port: 1 });
    assert.deepEqual(parseHostPort('[::1]:65535', '--connect'), { host: '::1', port: 65535 });
  });

  it('refuses a missing or out-of-range port and an unbracketed IPv6 address, naming the flag and the text', () => {
    for (const text of ['127.0.0.1', '127.0.0.1:', ':7470', '127.0.0.1:0', '127.0.0.1:65536', '::1:7470', 'host:port', 'a b:1']) {
      assert.throws(() => parseHostPort(text, '--connect'), (e: Error) => e instanceof UsageError && e.message.includes('--connect expects HOST:PORT') && e.message.includes(JSON.stringify(text)), text);
    }
  });
});

describe('the TCP settings of serve and infer --connect', () => {
  it('take an option from the flags, else the configuration, else the safe default', () => {
    const config = parseConfig({ plugins: { transport: { name: 'tcp', options: { idleTimeoutMs: 5000, maxSessions: 4 } } } });
    const options = tcpConfig(config, 'gazelle serve', { idleTimeoutMs: 60_000, maxSessions: 16, maxFrameBytes: 1 << 20 }, { maxSessions: 2, idleTimeoutMs: undefined }).plugins.transport!.options;
    assert.deepEqual(options, { idleTimeoutMs: 5000, maxSessions: 2, maxFrameBytes: 1 << 20 });
    assert.deepEqual(tcpConfig(parseConfig({}), 'gazelle serve', { maxSessions: 16 }).plugins.transport, { name: 'tcp', options: { maxSessions: 16 } });
  });

  it('refuse a configuration that selects another transport', () => {
    const config = parseConfig({ plugins: { transport: 'memory' } });
    assert.throws(() => tcpConfig(config, 'gazelle serve', {}), (e: Error) => e instanceof ConfigError && /gazelle serve talks over TCP; the configuration selects the "memory" transport/.test(e.message));
  });
});
