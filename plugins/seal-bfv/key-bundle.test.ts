import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../core/errors.ts';
import { decodeKeyBundle, encodeKeyBundle } from './key-bundle.ts';

const bundle = fc.record({
  n: fc.constant(4096),
  p: fc.constant(557057),
  steps: fc.array(fc.integer({ min: -2047, max: 2047 }), { maxLength: 10 }),
  publicKey: fc.uint8Array({ maxLength: 64 }),
  galoisKeys: fc.uint8Array({ maxLength: 64 }),
});

describe('server-key bundle', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(bundle, (b) => {
        assert.deepEqual(decodeKeyBundle(encodeKeyBundle(b), b), { ...b });
      }),
    );
  });

  it('turns every truncation, extension and foreign parameter set into a ProtocolError', () => {
    fc.assert(
      fc.property(bundle, fc.nat(), (b, cut) => {
        const bytes = encodeKeyBundle(b);
        assert.throws(() => decodeKeyBundle(bytes.subarray(0, cut % bytes.length), b), ProtocolError);
        assert.throws(() => decodeKeyBundle(Uint8Array.from([...bytes, 0]), b), ProtocolError);
        assert.throws(() => decodeKeyBundle(bytes, { n: 8192, p: b.p }), ProtocolError);
      }),
    );
  });
});
