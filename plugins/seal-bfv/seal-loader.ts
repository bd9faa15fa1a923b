/**
 * node-seal's wasm module, loaded once per process (about a second) and shared by every backend.
 * Imported lazily, so listing plugins or running unrelated commands does not pay for it.
 */
import type { SEALLibrary } from 'node-seal/implementation/seal.d.ts';

export type SealLibrary = SEALLibrary;

let loading: Promise<SealLibrary> | undefined;

export function loadSeal(): Promise<SealLibrary> {
  const pending = loading ?? instantiate();
  loading = pending;
  return pending;
}

async function instantiate(): Promise<SealLibrary> {
  try {
    // node-seal is a CommonJS (UMD) package: at run time the default export is its factory function,
    // while its typings declare an ES default export that TypeScript's NodeNext resolution wraps.
    const factory = (await import('node-seal')).default as unknown as () => Promise<SealLibrary>;
    return await factory();
  } catch (error) {
    loading = undefined;
    throw error;
  }
}
