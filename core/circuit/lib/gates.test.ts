import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GateCounter } from '../gate-counter.ts';
import { PlaintextBackend } from '../plaintext-backend.ts';
import { constantBits, Gates, isConst, ONE, ZERO } from './gates.ts';

describe('constant-folding gates', () => {
  it('folds every gate with a constant input and sends only wire-wire gates to the backend', () => {
    const counter = new GateCounter();
    const g = new Gates(counter);
    const x = counter.input();
    assert.equal(g.and(x, ZERO), ZERO);
    assert.equal(g.and(ONE, x), x);
    assert.equal(g.xor(ZERO, x), x);
    assert.equal(g.xor(ONE, ONE), ZERO);
    assert.equal(g.not(ZERO), ONE);
    assert.deepEqual(counter.counts().and + counter.counts().xor, 0);
    g.xor(x, ONE);
    assert.equal(counter.counts().not, 1);
    g.and(x, x);
    const out = g.andN([x, ZERO, x, ONE], [x, x, ONE, x]);
    assert.deepEqual([out[1], out[2], out[3]], [ZERO, x, x]);
    assert.deepEqual([counter.counts().and, counter.counts().andBatches], [2, 2]);
    assert.throws(() => g.andN([x], []), RangeError);
  });

  it('constants become backend wires only at the boundary', () => {
    const backend = new PlaintextBackend(3);
    const g = new Gates(backend);
    const [one, zero] = g.wires([ONE, ZERO]);
    assert.deepEqual([backend.bit(one!, 2), backend.bit(zero!, 0)], [1, 0]);
    assert.ok(isConst(ONE) && !isConst(one!));
  });

  it('constantBits is LSB first and range-checked', () => {
    assert.deepEqual(constantBits(6, 4), [ZERO, ONE, ONE, ZERO]);
    assert.deepEqual(constantBits(5n, 3), [ONE, ZERO, ONE]);
    assert.throws(() => constantBits(8, 3), RangeError);
    assert.throws(() => constantBits(-1, 3), RangeError);
  });
});
