/**
 * The client's observer (observer.ts), the privacy audit's window on what the client derives: it is
 * told every decrypted slot of every returned ciphertext and every decoded garbled output, in order,
 * and only the test profile allows one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { quantiseInput } from '../model/input.ts';
import { randomImages, randomModel } from '../model/networks.ts';
import { referenceInference } from '../model/reference.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { InferenceClient } from './client.ts';
import { runLocalInference } from './local-run.ts';
import type { ClientObserver } from './observer.ts';

const registry = builtinRegistry();

describe('the client observer', () => {
  it('sees every returned ciphertext decrypted, every garbled layer decoded, and the argmax class the client outputs', async () => {
    const config = parseConfig({ profile: 'test', plugins: { he: 'insecure-plain-he' } });
    const { model } = randomModel('C', 'observer-test');
    const [image] = randomImages(model.architecture.input.shape, 1, 'observer-test');
    const input = quantiseInput(model.architecture, image!);
    const events: string[] = [];
    let slotCount = 0;
    let label = -1;
    const observer: ClientObserver = {
      decrypted: (layer, part, slots) => {
        events.push(`decrypted ${layer}#${part}: ${slots.length}`);
        slotCount = slots[0]!.length;
      },
      decoded: (layer, values, role) => {
        events.push(`${role} ${layer}: ${values.length}`);
        if (role === 'output') label = values[0]!;
      },
    };
    const run = await runLocalInference({ config, registry, model, inputs: [input], reveal: 'label', heWorkers: 1, observer });
    assert.equal(run.inferences[0]!.label, referenceInference(model, input).label);
    assert.equal(label, run.inferences[0]!.label, 'the decoded argmax is the result');
    // C: conv1, relu (980 neurons), fc1, relu (100), fc2, argmax, in this order (ciphertexts per part depend on the HE parameters).
    const shape = events.map((e) => e.replace(/: [1-9]\d*$/, ''));
    assert.deepEqual(shape, ['decrypted conv1#0', 'share conv1.rescale+relu1', 'decrypted fc1#0', 'share fc1.rescale+relu2', 'decrypted fc2#0', 'output argmax']);
    assert.deepEqual([events[1], events[3]], ['share conv1.rescale+relu1: 980', 'share fc1.rescale+relu2: 100']);
    assert.ok(slotCount > 0);
  });

  it('is refused outside the test profile', async () => {
    const client = await InferenceClient.start({ config: parseConfig({ profile: 'production' }), registry });
    try {
      // Refused before anything is sent: no peer is needed.
      await assert.rejects(client.connect(undefined as never, { observer: {} }), (e: unknown) => e instanceof ConfigError && /test profile only/.test(e.message));
    } finally {
      await client.close();
    }
  });
});
