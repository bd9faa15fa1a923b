/**
 * The far end of the TCP throughput benchmark, run as its own process by bench/transport.ts:
 * `transport-peer.ts <port> <frameBytes> <warmupFrames> <frames> <wiring>` (the suite's TCP
 * configuration, bench/wiring.ts). Connects, receives the warm-up frames and acknowledges them with
 * one byte, then the measured frames and acknowledges again.
 */
import { wire } from '../core/container.ts';
import { readWiringArgument } from './wiring.ts';

const [port, frameBytes, warmupFrames, frames] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const { config, registry } = await readWiringArgument(process.argv[6]!);
const wiring = await wire(config, registry, ['transport']);
const channel = await wiring.get('transport').connect({ port });
for (const count of [warmupFrames, frames]) {
  for (let i = 0; i < count; i++) await channel.recv(frameBytes);
  await channel.send(Uint8Array.of(1));
}
await channel.close();
await wiring.dispose();
