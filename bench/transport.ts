/**
 * Transport throughput: TCP between two processes on loopback (this process sends, a child process
 * receives, frames of 1 MiB), the in-memory pair (it hands buffers over without copying, so its
 * figure is per-message overhead, not bandwidth), and a memcpy baseline measured in the same run
 * (the machine is shared, so the ratio to memcpy is the comparable figure). Target: TCP >= 500 MB/s.
 * Both transports are the `tcp` and `in-memory` plugins chosen in the configuration (the TCP options
 * it gives are kept, the frame size and idle timeout set over them) and obtained from the wiring.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Channel } from '../core/channel.ts';
import { randomBytes } from '../core/bytes.ts';
import { choosePlugin, withPluginOptions } from '../core/config.ts';
import type { Transport } from '../core/transport.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';
import { benchConfig, wiringArgument, withBenchWiring } from './wiring.ts';

const TARGET_TCP_MB_PER_SECOND = 500;

interface Throughput {
  frameBytes: number;
  totalBytes: number;
  seconds: number;
  mbPerSecond: number;
}

function throughput(frameBytes: number, frames: number, seconds: number): Throughput {
  const totalBytes = frameBytes * frames;
  return { frameBytes, totalBytes, seconds, mbPerSecond: totalBytes / 1e6 / seconds };
}

/** Send `frames` frames and wait for the peer's one-byte acknowledgement; seconds elapsed. */
async function sendFrames(channel: Channel, frame: Uint8Array, frames: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < frames; i++) await channel.send(frame);
  await channel.recv(1);
  return (performance.now() - start) / 1000;
}

/** The `tcp` plugin as configured, with frames of `frameBytes` and a generous idle timeout, in both processes. */
async function tcpTwoProcesses(options: BenchOptions, frameBytes: number, warmupFrames: number, frames: number): Promise<Throughput> {
  const config = withPluginOptions(choosePlugin(benchConfig(options), 'transport', 'tcp'), 'transport', { maxFrameBytes: frameBytes, idleTimeoutMs: 30_000 });
  return withBenchWiring(options, ['transport'], config, (wiring) => tcpFrames(wiring.get('transport'), wiringArgument(options, config), frameBytes, warmupFrames, frames));
}

async function tcpFrames(transport: Transport, peerWiring: string, frameBytes: number, warmupFrames: number, frames: number): Promise<Throughput> {
  // Never modified, so one buffer serves every send (send takes ownership only against modification).
  const frame = randomBytes(frameBytes);
  let resolveSeconds!: (seconds: number) => void;
  let rejectSeconds!: (error: unknown) => void;
  const measured = new Promise<number>((resolve, reject) => ((resolveSeconds = resolve), (rejectSeconds = reject)));
  const listener = await transport.listen({ port: 0 }, async (channel) => {
    try {
      await sendFrames(channel, frame, warmupFrames);
      resolveSeconds(await sendFrames(channel, frame, frames));
    } catch (error) {
      rejectSeconds(error);
    }
  });
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const args = [...[listener.address.port, frameBytes, warmupFrames, frames].map(String), peerWiring];
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'transport-peer.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  void exited.then((code) => code !== 0 && rejectSeconds(new Error(`transport peer exited with ${code}: ${stderr}`)));
  try {
    const seconds = await measured;
    await exited;
    return throughput(frameBytes, frames, seconds);
  } finally {
    child.kill();
    await listener.close();
  }
}

async function memoryPair(options: BenchOptions, frameBytes: number, frames: number): Promise<Throughput> {
  const config = choosePlugin(benchConfig(options), 'transport', 'in-memory');
  return withBenchWiring(options, ['transport'], config, (wiring) => pairFrames(wiring.get('transport'), frameBytes, frames));
}

async function pairFrames(transport: Transport, frameBytes: number, frames: number): Promise<Throughput> {
  const { client, server, close } = await transport.pair();
  const frame = randomBytes(frameBytes);
  const receiving = (async () => {
    for (let i = 0; i < frames; i++) await server.recv(frameBytes);
    await server.send(Uint8Array.of(1));
  })();
  const seconds = await sendFrames(client, frame, frames);
  await receiving;
  await close();
  return throughput(frameBytes, frames, seconds);
}

/**
 * Copying every frame once (what a receiver that reassembles frames from socket chunks costs at
 * least), from a 16-frame source ring so that the copies are not served from one cached frame.
 */
function memcpy(frameBytes: number, frames: number): Throughput {
  const ring = 16;
  const source = randomBytes(frameBytes * ring);
  const target = new Uint8Array(frameBytes);
  const start = performance.now();
  for (let i = 0; i < frames; i++) target.set(source.subarray((i % ring) * frameBytes, ((i % ring) + 1) * frameBytes));
  return throughput(frameBytes, frames, (performance.now() - start) / 1000);
}

export const suite: BenchSuite = {
  name: 'transport',
  summary: 'TCP throughput between two processes on loopback (1 MiB frames), in-memory throughput, MB/s',
  async run(options) {
    const { quick, log } = options;
    const frameBytes = quick ? 64 * 1024 : 1024 * 1024;
    const frames = quick ? 16 : 512;
    const warmupFrames = quick ? 2 : 64;
    const tcp = await tcpTwoProcesses(options, frameBytes, warmupFrames, frames);
    log(`tcp (two processes): ${tcp.mbPerSecond.toFixed(0)} MB/s over ${tcp.totalBytes / 1e6} MB`);
    const memory = await memoryPair(options, frameBytes, frames);
    log(`in-memory: ${memory.mbPerSecond.toFixed(0)} MB/s`);
    const copy = memcpy(frameBytes, frames);
    log(`memcpy baseline: ${copy.mbPerSecond.toFixed(0)} MB/s`);
    return {
      tcp,
      memory,
      memcpy: copy,
      tcpToMemcpyRatio: tcp.mbPerSecond / copy.mbPerSecond,
      tcpTarget: { mbPerSecond: TARGET_TCP_MB_PER_SECOND, met: tcp.mbPerSecond >= TARGET_TCP_MB_PER_SECOND },
    };
  },
};
