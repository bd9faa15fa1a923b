import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesEqual, concatBytes } from '../../core/bytes.ts';
import { TransportError } from '../../core/errors.ts';
import { FRAME_HEADER_BYTES, FrameDecoder, encodeFrames, frameHeader, framePayloads } from './frame.ts';

/** Cut `bytes` into consecutive chunks of the given sizes (cycled), as a TCP stream may. */
function fragment(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

describe('tcp frame format', () => {
  it('header: magic "GZ", version 1, type 0, big-endian length', () => {
    assert.deepEqual([...frameHeader(0x01020304)], [0x47, 0x5a, 1, 0, 1, 2, 3, 4]);
    assert.equal(FRAME_HEADER_BYTES, 8);
  });

  it('splits a payload into views of at most maxFrameBytes', () => {
    const data = new Uint8Array(10);
    const payloads = framePayloads(data, 4);
    assert.deepEqual(payloads.map((p) => p.length), [4, 4, 2]);
    assert.ok(payloads.every((p) => p.buffer === data.buffer), 'payloads are views, not copies');
    assert.deepEqual(framePayloads(new Uint8Array(0), 4), []);
  });

  it('decoding inverts encoding under any fragmentation of the stream (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 12 }),
        (messages, maxFrameBytes, sizes) => {
          const pieces: Uint8Array[] = [];
          const decoder = new FrameDecoder('test', maxFrameBytes, (piece) => pieces.push(piece));
          const wire = concatBytes(messages.map((m) => encodeFrames(m, maxFrameBytes)));
          for (const chunk of fragment(wire, sizes)) decoder.push(chunk);
          assert.equal(decoder.partialFrame, undefined);
          assert.ok(bytesEqual(concatBytes(pieces), concatBytes(messages)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports where a stream stopped mid-frame', () => {
    const decoder = new FrameDecoder('test', 100, () => {});
    decoder.push(frameHeader(50).subarray(0, 5));
    assert.equal(decoder.partialFrame, '5 of 8 header bytes');
    decoder.push(Buffer.concat([frameHeader(50).subarray(5), Buffer.alloc(20)]));
    assert.equal(decoder.partialFrame, '20 of 50 payload bytes');
  });

  it('rejects an oversized frame, and stays failed (the stream cannot be resynchronised)', () => {
    const decoder = new FrameDecoder('test', 100, () => assert.fail('no payload may be delivered'));
    assert.throws(() => decoder.push(frameHeader(101)), (e: Error) => e instanceof TransportError && /101 bytes exceeds maxFrameBytes = 100/.test(e.message));
    assert.throws(() => decoder.push(frameHeader(1)), /exceeds maxFrameBytes/);
  });

  it('rejects any header that is not a data frame of this version (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (header) => {
        const valid = header[0] === 0x47 && header[1] === 0x5a && header[2] === 1 && header[3] === 0;
        fc.pre(!valid);
        const decoder = new FrameDecoder('test', 2 ** 32 - 1, () => {});
        assert.throws(() => decoder.push(header), (e: Error) => e instanceof TransportError && /malformed frame header/.test(e.message));
      }),
    );
  });
});
