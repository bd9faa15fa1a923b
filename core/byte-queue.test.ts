import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { ByteQueue } from './byte-queue.ts';
import { bytesEqual, concatBytes } from './bytes.ts';
import { TransportError } from './errors.ts';

describe('ByteQueue', () => {
  it('returns exactly the bytes pushed, whatever the chunk and read boundaries (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }),
        fc.boolean(),
        async (chunks, reads, readFirst) => {
          const stream = concatBytes(chunks);
          const lengths: number[] = [];
          let left = stream.length;
          for (const r of reads) if (r <= left) lengths.push(r), (left -= r);
          lengths.push(left);
          const queue = new ByteQueue('test');
          const out: Uint8Array[] = [];
          if (readFirst) {
            // Reads wait for data that arrives later.
            const reading = (async () => {
              for (const n of lengths) out.push(await queue.read(n));
            })();
            for (const c of chunks) queue.push(c.slice());
            await reading;
          } else {
            for (const c of chunks) queue.push(c.slice());
            for (const n of lengths) out.push(await queue.read(n));
          }
          assert.ok(bytesEqual(concatBytes(out), stream));
          assert.equal(queue.available, 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('after end, serves what is left and then fails naming the truncated message', async () => {
    const queue = new ByteQueue('test');
    queue.push(Uint8Array.of(1, 2, 3));
    queue.end(new TransportError('test: the peer closed the connection'));
    queue.push(Uint8Array.of(4)); // ignored: nothing arrives after the end
    assert.deepEqual([...(await queue.read(2))], [1, 2]);
    await assert.rejects(queue.read(5), /^TransportError: test: the peer closed the connection \(had 1 of 5 bytes: truncated message\)$/);
  });

  it('fails a pending read when the stream ends', async () => {
    const queue = new ByteQueue('test');
    const pending = queue.read(4);
    assert.equal(queue.waiting, true);
    queue.end(new TransportError('gone'));
    await assert.rejects(pending, TransportError);
    assert.equal(queue.waiting, false);
  });

  it('times out a read that sees no data, but not one that keeps receiving', async () => {
    const queue = new ByteQueue('test', 60);
    const slow = queue.read(4);
    for (let i = 0; i < 4; i++) {
      await sleep(25);
      queue.push(Uint8Array.of(i));
    }
    assert.deepEqual([...(await slow)], [0, 1, 2, 3]);
    await assert.rejects(queue.read(1), /no data for 60 ms while waiting for 1 bytes \(have 0\)/);
  });

  it('refuses concurrent reads and bad lengths', async () => {
    const queue = new ByteQueue('test');
    const first = queue.read(1);
    await assert.rejects(queue.read(1), /concurrent recv/);
    await assert.rejects(queue.read(-1), RangeError);
    await assert.rejects(queue.read(1.5), RangeError);
    queue.push(Uint8Array.of(9));
    assert.deepEqual([...(await first)], [9]);
  });
});
