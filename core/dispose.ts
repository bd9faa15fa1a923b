/**
 * Structural disposal of native (wasm) objects: everything created inside a scope is released when
 * the scope ends, on every path, errors included. Only what the scope's body hands back with
 * `keep` survives it.
 */

/** Anything holding native memory. `dispose` must be idempotent. */
export interface Disposable {
  dispose(): void;
}

export class DisposalScope {
  #owned: Disposable[] = [];
  #done = false;

  /** Track `item` for release at the end of the scope; returns it for chaining. */
  track<T extends Disposable>(item: T): T {
    if (this.#done) {
      item.dispose();
      throw new Error('DisposalScope: track() after the scope ended');
    }
    this.#owned.push(item);
    return item;
  }

  /** Stop tracking `item` (it outlives the scope; the caller now owns it). */
  keep<T extends Disposable>(item: T): T {
    const i = this.#owned.lastIndexOf(item);
    if (i >= 0) this.#owned.splice(i, 1);
    return item;
  }

  /** Release everything still tracked, newest first. */
  dispose(): void {
    this.#done = true;
    const owned = this.#owned;
    this.#owned = [];
    let firstError: unknown;
    for (let i = owned.length - 1; i >= 0; i--) {
      try {
        owned[i]!.dispose();
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
  }
}

/** Run `body` in a fresh scope that is disposed afterwards, whether `body` returns or throws. */
export function withScope<T>(body: (scope: DisposalScope) => T): T {
  const scope = new DisposalScope();
  try {
    return body(scope);
  } finally {
    scope.dispose();
  }
}

/** Async variant of `withScope`. */
export async function withScopeAsync<T>(body: (scope: DisposalScope) => Promise<T>): Promise<T> {
  const scope = new DisposalScope();
  try {
    return await body(scope);
  } finally {
    scope.dispose();
  }
}
