/**
 * Ownership of node-seal objects. Each lives in wasm memory until `delete()`d; a `Native` wraps one
 * as a `Disposable` (idempotent) so `DisposalScope` can release it on every path, and counts the
 * live ones so tests can prove that nothing leaks (node-seal's finalizers would otherwise hide a leak
 * until the next garbage collection).
 */
import type { Disposable, DisposalScope } from '../../core/dispose.ts';

interface Deletable {
  delete(): void;
}

let live = 0;

/** node-seal objects created through `Native` and not yet deleted, process-wide. */
export function liveNativeObjects(): number {
  return live;
}

export class Native<T extends Deletable> implements Disposable {
  #value: T | undefined;

  constructor(value: T) {
    this.#value = value;
    live++;
  }

  get value(): T {
    if (this.#value === undefined) throw new Error('seal-bfv: native object used after dispose()');
    return this.#value;
  }

  dispose(): void {
    if (this.#value === undefined) return;
    const value = this.#value;
    this.#value = undefined;
    live--;
    value.delete();
  }
}

/** Wrap `value` and track it in `scope`; returns the raw object for immediate use. */
export function scoped<T extends Deletable>(scope: DisposalScope, value: T): T {
  return scope.track(new Native(value)).value;
}
