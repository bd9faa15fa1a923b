import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { RecordingChannel, viewOf } from './recording.ts';

describe('RecordingChannel', () => {
  it('records every message with sequence, sender, label, kind and a private copy of the bytes', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new RecordingChannel(pair.client, 'client');
    const server = new RecordingChannel(pair.server, 'server');
    client.setLabel('offline/relu1');
    server.setLabel('offline/relu1');
    await client.send(Uint8Array.of(1, 2, 3), 'ot-extension');
    const got = await server.recv(3, 'ot-extension');
    got[0] = 99; // a protocol modifying its received buffer in place must not alter either transcript
    client.setLabel('online/relu1');
    server.setLabel('online/relu1');
    await server.send(Uint8Array.of(4, 5), 'gc-table');
    await client.recv(2, 'gc-table');
    await client.send(new Uint8Array(0)); // carries nothing: not a message
    await client.send(Uint8Array.of(6));
    await server.recv(1);

    const { party, messages } = client.transcript();
    assert.equal(party, 'client');
    assert.deepEqual(
      messages.map(({ seq, direction, sender, label, kind, bytes }) => [seq, direction, sender, label, kind, [...bytes]]),
      [
        [0, 'sent', 'client', 'offline/relu1', 'ot-extension', [1, 2, 3]],
        [1, 'received', 'server', 'online/relu1', 'gc-table', [4, 5]],
        [2, 'sent', 'client', 'online/relu1', 'data', [6]],
      ],
    );
    // The server's view (what it received) is exactly what the client sent, and vice versa.
    const strip = (m: { sender: string; label: string; kind: string; bytes: Uint8Array }) => [m.sender, m.label, m.kind, [...m.bytes]];
    assert.deepEqual(viewOf(server.transcript()).map(strip), messages.filter((m) => m.direction === 'sent').map(strip));
    assert.deepEqual(viewOf(client.transcript()).map(strip), [['server', 'online/relu1', 'gc-table', [4, 5]]]);
    await pair.close();
  });

  it('a transcript is a snapshot', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new RecordingChannel(pair.client, 'client');
    const before = client.transcript();
    await client.send(Uint8Array.of(1));
    assert.equal(before.messages.length, 0);
    assert.equal(client.transcript().messages.length, 1);
    await pair.close();
  });
});
