/**
 * End-to-end private inference (issue 11, "Performance"): client and server as two processes over
 * loopback TCP, with the configured plugins (default: seal-bfv secure, half-gates, IKNP). Per
 * network and network profile: setup (handshake, HE keys, base OTs) once, then one warm-up inference
 * and the measured ones; seconds and bytes in each direction per phase, rounds, per-layer figures of
 * the median inference. Targets on this 2-core machine: network D offline + online ≤ 1.0 s and
 * ≤ 70 MB; CIFAR-10 ≤ 10 s and ≤ 1.3 GB (GAZELLE's paper: D 0.81 s / 70 MB, CIFAR-10 12.9 s / 1.24 GB).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NETWORK_PROFILES, type NetworkProfile } from '../core/channel/network-profile.ts';
import { choosePlugin, mergeConfig, withPluginOptions } from '../core/config.ts';
import { wire } from '../core/container.ts';
import { InferenceClient, type ClientInference } from '../core/inference/client.ts';
import type { Figures } from '../core/inference/figures.ts';
import { quantiseInput } from '../core/model/input.ts';
import { loadModel } from '../core/model/model-store.ts';
import { imagesFor } from '../harness/measurement.ts';
import { builtinRegistry } from '../plugins/index.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';
import { benchConfig, wiringArgument } from './wiring.ts';

const TARGETS: Readonly<Record<string, { seconds: number; bytes: number }>> = {
  D: { seconds: 1.0, bytes: 70e6 },
  CIFAR: { seconds: 10, bytes: 1.3e9 },
};
const DEFAULT_NETWORKS = ['A', 'B', 'C', 'D'];

/** Start the server process (the same configuration and plugin registry); resolves with its port once it listens. */
function startServer(model: string, wiring: string): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('./e2e-server.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, model, wiring], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`e2e server for ${model} exited (code ${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = /^listening (\d+)$/.exec(line)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
  });
}

function total(f: Figures): number {
  return f.clientToServer + f.serverToClient;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(options: BenchOptions, name: string, profile: NetworkProfile, runs: number) {
  const { log } = options;
  // Two processes: the TCP plugin as configured, with frames of up to 16 MiB.
  const tcp = withPluginOptions(choosePlugin(benchConfig(options), 'transport', 'tcp'), 'transport', { maxFrameBytes: 16 << 20 });
  const config = mergeConfig(tcp, profile.name === 'local' ? {} : { network: profile });
  const registry = options.registry ?? builtinRegistry();
  const { child, port } = await startServer(name, wiringArgument(options, config));
  const client = await InferenceClient.start({ config, registry });
  const wiring = await wire(config, registry, ['transport']);
  try {
    const model = loadModel(name);
    const inputs = imagesFor(model, runs + 1).images.map((image) => quantiseInput(model.architecture, image));
    const channel = await wiring.get('transport').connect({ host: '127.0.0.1', port });
    const session = await client.connect(channel);
    log(`${name} (${profile.name}): setup ${session.setup.seconds.toFixed(2)} s, ${(total(session.setup) / 1e6).toFixed(1)} MB`);
    const measured: ClientInference[] = [];
    for (const [i, input] of inputs.entries()) {
      const result = await session.classify(input);
      if (i > 0) measured.push(result);
      const f = result.figures;
      log(`${name} (${profile.name}) ${i === 0 ? 'warm-up' : `run ${i}`}: offline ${f.offline.seconds.toFixed(3)} s, online ${f.online.seconds.toFixed(3)} s, ${((total(f.offline) + total(f.online)) / 1e6).toFixed(1)} MB`);
    }
    await session.close();
    await channel.close();
    const seconds = measured.map((r) => r.figures.offline.seconds + r.figures.online.seconds);
    const typical = measured[seconds.indexOf(median(seconds))]!.figures;
    const bytes = total(typical.offline) + total(typical.online);
    const target = TARGETS[name];
    return {
      runs: measured.length,
      setup: session.setup,
      offlineSeconds: median(measured.map((r) => r.figures.offline.seconds)),
      onlineSeconds: median(measured.map((r) => r.figures.online.seconds)),
      totalSeconds: median(seconds),
      totalBytes: bytes,
      offline: typical.offline,
      online: typical.online,
      layers: typical.layers,
      ...(target && profile.name === 'local' ? { target: { seconds: target.seconds, bytes: target.bytes, met: median(seconds) <= target.seconds && bytes <= target.bytes } } : {}),
    };
  } finally {
    await client.close();
    await wiring.dispose();
    child.stdin!.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export const suite: BenchSuite = {
  name: 'e2e',
  summary: 'private inference end to end, client and server in two processes over loopback TCP: seconds, bytes, rounds per phase and layer',
  async run(options) {
    const { quick, network, networks } = options;
    const names = networks ?? (quick ? ['A'] : DEFAULT_NETWORKS);
    // Without an explicit profile, the networks A-D run under local, LAN and WAN (issue 14); CIFAR-10 locally.
    const profiles = (name: string): NetworkProfile[] => (network ? [network] : name === 'CIFAR' || quick ? [NETWORK_PROFILES.local] : [NETWORK_PROFILES.local, NETWORK_PROFILES.lan, NETWORK_PROFILES.wan]);
    const results: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      results[name] = {};
      for (const profile of profiles(name)) {
        results[name]![profile.name] = await measure(options, name, profile, quick ? 1 : name === 'CIFAR' ? 2 : 5);
      }
    }
    return results;
  },
};
