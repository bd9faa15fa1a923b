/**
 * The far end of the TCP throughput benchmark, run as its own process by bench/transport.ts:
 * `transport-peer.ts <port> <frameBytes> <warmupFrames> <frames>`. Connects, receives the warm-up
 * frames and acknowledges them with one byte, then the measured frames and acknowledges again.
 */
import { TcpTransport } from '../plugins/transport-tcp/tcp-transport.ts';

const [port, frameBytes, warmupFrames, frames] = process.argv.slice(2).map(Number) as [number, number, number, number];
const channel = await new TcpTransport({ maxFrameBytes: frameBytes, idleTimeoutMs: 30_000 }).connect({ port });
for (const count of [warmupFrames, frames]) {
  for (let i = 0; i < count; i++) await channel.recv(frameBytes);
  await channel.send(Uint8Array.of(1));
}
await channel.close();
