import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from '../bytes.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { GarblerBackend } from './garbler-backend.ts';
import { CONSTANT_LABELS, LABEL_BYTES, randomDelta, repeatLabel } from './labels.ts';
import { TableSink } from './table-stream.ts';

test('a disposed backend holds no wire, and its store serves the next backend with correct labels', () => {
  const delta = randomDelta();
  const instances = 3;
  const first = new GarblerBackend(new HalfGates(), delta, instances, new TableSink());
  const x = first.input(randomBytes(instances * LABEL_BYTES));
  first[Symbol.dispose]();
  assert.throws(() => first.xor(x, x), RangeError);
  assert.throws(() => first.labels(x), RangeError);
  first[Symbol.dispose](); // a second dispose is harmless

  const second = new GarblerBackend(new HalfGates(), delta, instances, new TableSink());
  const a = randomBytes(instances * LABEL_BYTES);
  const b = randomBytes(instances * LABEL_BYTES);
  const sum = second.xor(second.input(a), second.input(b));
  assert.deepEqual(second.labels(sum), a.map((byte, i) => byte ^ b[i]!));
  // The constants were rewritten, not left over from the first backend's wires.
  assert.deepEqual(second.labels(second.constant(0)), repeatLabel(CONSTANT_LABELS[0], instances));
  second[Symbol.dispose]();
});
