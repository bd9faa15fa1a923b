/**
 * node-seal must never throw. Its wasm build lets a C++ exception escape into JS without unwinding
 * the C++ frames it crosses: no destructor runs (SEAL's memory-pool allocations in those frames are
 * never returned) and the wasm stack pointer is not restored. Measured in one process: about 400
 * caught exceptions of any kind (a product with an all-zero plaintext, "result ciphertext is
 * transparent"; or two ciphertexts at different levels, "parameter mismatch") exhaust the wasm stack,
 * which then overwrites SEAL's static data: "memory access out of bounds", "pool is uninitialized", or
 * exception messages read back as garbage.
 *
 * So the backend calls SEAL only with arguments it has checked in JS (seal-layout.ts validates every
 * peer byte, including coefficient ranges and the seed's PRNG type; an all-zero plaintext never
 * reaches a product, see runtime.ts). Should SEAL throw anyway, its memory in this thread can no
 * longer be trusted: the first exception marks the library faulty, and every guarded call after it
 * (every evaluator operation and every load of peer data) fails with `NativeLibraryFault` instead of
 * running on a corrupted heap. The library is loaded once per thread (seal-loader.ts), so the fault
 * is the thread's: end the thread or process to recover.
 */
import { GazelleError } from '../../core/errors.ts';

/** node-seal threw, or threw earlier in this thread: its wasm memory is no longer trustworthy. */
export class NativeLibraryFault extends GazelleError {}

let fault: NativeLibraryFault | undefined;
let exceptions = 0;

/** C++ exceptions node-seal has raised through guarded calls in this thread (tests assert 0). */
export function nativeExceptions(): number {
  return exceptions;
}

/** Run one node-seal call: refused after a fault; an exception marks the library faulty. */
export function guardNative<T>(what: string, call: () => T): T {
  if (fault) throw new NativeLibraryFault(`seal-bfv: ${what} refused: ${fault.message}`, { cause: fault });
  try {
    return call();
  } catch (error) {
    exceptions++;
    const message = error instanceof Error ? error.message : String(error);
    fault = new NativeLibraryFault(
      `node-seal threw in ${what} ("${message}"); its wasm build does not unwind C++ exceptions, so its memory in this thread ` +
        'can no longer be trusted and every further node-seal operation here is refused: restart the thread or process',
      { cause: error },
    );
    throw fault;
  }
}

/** `target` with every method call made through `guardNative` (`delete` excepted: releasing memory stays possible). */
export function guardMethods<T extends object>(target: T, what: string): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function' || key === 'delete') return value;
      return (...args: unknown[]) => guardNative(`${what}.${String(key)}`, () => (value as (...a: unknown[]) => unknown).apply(object, args));
    },
  });
}
