/**
 * A client of the serving benchmark, as its own process (bench/serve.ts starts it, one per client,
 * and kills some on purpose): reads its job as JSON on stdin, runs each of the job's sessions
 * against the server in turn, and writes one JSON line per event on stdout: `{ "connected" }` when
 * its connection is open (the protocol starts), `{ "setupSeconds" }` when a session is set up, then `{ "label", "logits", "seconds" }` per inference (the client's
 * time for the offline and online phases). Results are checked by the parent, which knows the
 * plaintext reference; this process knows only its images.
 */
import { withWiring } from '../core/container.ts';
import { InferenceClient } from '../core/inference/client.ts';
import { readWiringArgument } from './wiring.ts';

/** What the parent asks of one client process. */
export interface ServeClientJob {
  readonly port: number;
  /** The configuration, with the TCP transport, and the registry (`wiringArgument`). */
  readonly wiring: string;
  /** Each session's quantised inputs, classified in order. */
  readonly sessions: readonly (readonly number[])[][];
}

/** A line the client writes. */
export type ServeClientEvent = { readonly connected: true } | { readonly setupSeconds: number } | { readonly label: number; readonly logits: number[] | null; readonly seconds: number };

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

function emit(event: ServeClientEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const job = JSON.parse(await readStdin()) as ServeClientJob;
const { config, registry } = await readWiringArgument(job.wiring);
await withWiring(config, registry, ['transport'], async (wiring) => {
  const client = await InferenceClient.start({ config, registry });
  try {
    for (const inputs of job.sessions) {
      const channel = await wiring.get('transport').connect({ host: '127.0.0.1', port: job.port });
      emit({ connected: true });
      try {
        const session = await client.connect(channel);
        emit({ setupSeconds: session.setup.seconds });
        for (const input of inputs) {
          const start = performance.now();
          const result = await session.classify(Int32Array.from(input));
          emit({ label: result.label, logits: result.logits ? [...result.logits] : null, seconds: (performance.now() - start) / 1000 });
        }
        await session.close();
      } finally {
        await channel.close();
      }
    }
  } finally {
    await client.close();
  }
});
