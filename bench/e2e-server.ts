/**
 * The server of the end-to-end benchmark, as its own process (bench/e2e.ts starts it):
 * `e2e-server.ts <model> <wiring>` (the suite's configuration and plugin registry, bench/wiring.ts).
 * Prepares the model in its HE workers, listens on a free loopback TCP port, prints
 * `listening <port>` and serves sessions until stdin closes.
 */
import { wire } from '../core/container.ts';
import { InferenceServer } from '../core/inference/server.ts';
import { loadModel } from '../core/model/model-store.ts';
import { readWiringArgument } from './wiring.ts';

const [modelName, wiringJson] = process.argv.slice(2) as [string, string];
const { config, registry } = await readWiringArgument(wiringJson);
const server = await InferenceServer.start({ config, registry, model: loadModel(modelName) });
const wiring = await wire(config, registry, ['transport']);
const listener = await wiring.get('transport').listen({ host: '127.0.0.1', port: 0 }, async (channel) => {
  try {
    await server.serve(channel);
  } catch (error) {
    process.stderr.write(`e2e server: session failed: ${(error as Error).message}\n`);
  } finally {
    await channel.close();
  }
});
process.stdout.write(`listening ${listener.address.port}\n`);
process.stdin.resume();
process.stdin.on('close', () => {
  void (async () => {
    await listener.close();
    await server.close();
    await wiring.dispose();
    process.exit(0);
  })();
});
