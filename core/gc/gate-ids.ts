/**
 * Gate ids are the garbling schemes' hash tweaks (gate g hashes with 2g and 2g + 1, salted per
 * session): under one Δ and one salt no id may be used twice, or the TCCR hash's guarantee is void
 * (Guo-Katz-Wang-Yu 2020 §7 assume distinct tweaks). A session's allocator hands out disjoint ranges
 * in call order; both parties run the same calls, so their allocators stay mirrored, and the run
 * header compares the first id of every run. Ids stop below `GATE_ID_LIMIT`, so that gate tweaks
 * stay below the OT's (from 2^52, core/ot/ot-from-cot.ts) under the same salt.
 */
import { SecurityError } from '../errors.ts';
import { GARBLING_TWEAK_LIMIT } from '../ot/ot-from-cot.ts';

/** Gate ids stay below this: 2g + 1 < 2^52, the first OT tweak. */
export const GATE_ID_LIMIT = GARBLING_TWEAK_LIMIT / 2;

export class GateIdAllocator {
  #next = 0;

  constructor(private readonly limit = GATE_ID_LIMIT) {
    if (!Number.isSafeInteger(limit) || limit < 0 || limit > GATE_ID_LIMIT) throw new RangeError(`gate-id limit must be an integer in [0, 2^51], got ${limit}`);
  }

  /** The next unused id. */
  get next(): number {
    return this.#next;
  }

  /** The first of `count` fresh ids; refuses (SecurityError) to go past the limit rather than reuse or collide with OT tweaks. */
  take(count: number): number {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`gate ids: count must be a non-negative integer, got ${count}`);
    const first = this.#next;
    if (count > this.limit - first) {
      throw new SecurityError(`gate ids exhausted: ${count} more needed, ${this.limit - first} left below ${this.limit} in this session; open a new session (new Δ and salt)`);
    }
    this.#next = first + count;
    return first;
  }
}
