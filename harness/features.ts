/**
 * Features of views for the statistics: which messages to look at (by kind, phase, layer, label),
 * their bytes, and named functions from a view to a vector of numbers that the two-class checks
 * compare position by position (TVLA's "sample points") or pooled.
 */
import type { MessageKind } from '../core/channel.ts';
import { concatBytes } from '../core/bytes.ts';
import type { View, ViewMessage } from './view.ts';

/** Which messages of a view: every given field must match (an array: any of its values). */
export interface MessageSelector {
  readonly kind?: MessageKind | readonly MessageKind[];
  readonly phase?: string;
  readonly layer?: string;
  readonly label?: string | RegExp;
}

function matches<T extends string>(value: T, wanted: T | readonly T[] | undefined): boolean {
  return wanted === undefined || (typeof wanted === 'string' ? value === wanted : (wanted as readonly T[]).includes(value));
}

export function selectMessages(view: View, selector: MessageSelector = {}): ViewMessage[] {
  return view.messages.filter(
    (m) =>
      matches(m.kind, selector.kind) &&
      matches(m.phase, selector.phase) &&
      matches(m.layer, selector.layer) &&
      (selector.label === undefined || (typeof selector.label === 'string' ? m.label === selector.label : selector.label.test(m.label))),
  );
}

/** The bytes of the selected messages, concatenated in order. */
export function selectedBytes(view: View, selector: MessageSelector = {}): Uint8Array {
  return concatBytes(selectMessages(view, selector).map((m) => m.bytes));
}

/** A view's messages grouped by `label|kind`, in first-seen order: one group per protocol step and kind. */
export function groupMessages(view: View): Map<string, ViewMessage[]> {
  const groups = new Map<string, ViewMessage[]>();
  for (const m of view.messages) {
    const key = `${m.label}|${m.kind}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(m);
  }
  return groups;
}

/** A named function from a view to a vector of numbers (of the same length for views of one protocol). */
export interface Feature {
  readonly name: string;
  extract(view: View): ArrayLike<number>;
}

/** Every byte of the selected messages, one position each. */
export function messageBytes(selector: MessageSelector, name = describeSelector(selector)): Feature {
  return { name, extract: (view) => selectedBytes(view, selector) };
}

/** A derived value of the view (`derived[key]`), one position per element. */
export function derivedValues(key: string): Feature {
  return {
    name: `derived ${key}`,
    extract: (view) => {
      const values = view.derived[key];
      if (!values) throw new RangeError(`view of the ${view.party} has no derived "${key}" (has: ${Object.keys(view.derived).join(', ') || 'none'})`);
      return values;
    },
  };
}

/** The derived values whose keys match `pattern`, in the view's order (the order the party derived them). */
export function derivedEntries(view: View, pattern: RegExp): [string, ArrayLike<number>][] {
  return Object.entries(view.derived).filter(([key]) => pattern.test(key));
}

/** Every derived value whose key matches `pattern`, concatenated in the view's order. */
export function derivedMatching(pattern: RegExp, name: string): Feature {
  return {
    name,
    extract: (view) => concatenated(derivedEntries(view, pattern).map(([, values]) => values)),
  };
}

/**
 * Differences of consecutive derived vectors whose keys match `pattern`, (v_{j+1} − v_j) mod p over
 * their common length. For independent uniform shares they are independent and uniform (an
 * invertible linear map of the shares); a mask reused across layers makes them the difference of
 * the layers' outputs.
 */
export function consecutiveDifferences(pattern: RegExp, p: number, name: string): Feature {
  return {
    name,
    extract(view) {
      const vectors = derivedEntries(view, pattern).map(([, v]) => v);
      const out: number[] = [];
      for (let j = 1; j < vectors.length; j++) {
        const [a, b] = [vectors[j - 1]!, vectors[j]!];
        for (let i = 0; i < Math.min(a.length, b.length); i++) out.push((b[i]! - a[i]! + p) % p);
      }
      return out;
    },
  };
}

export function describeSelector(selector: MessageSelector): string {
  const parts = Object.entries(selector).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`);
  return parts.length ? parts.join(' ') : 'all messages';
}

/**
 * The feature of every view as columns: `columns[j][i]` is position j of view i. All views must
 * give the same length; the length of the first view that differs is reported otherwise.
 */
export function featureColumns(views: readonly View[], feature: Feature): { columns: Float64Array[] } | { lengthMismatch: string } {
  const rows = views.map((v) => feature.extract(v));
  const length = rows[0]?.length ?? 0;
  const odd = rows.findIndex((r) => r.length !== length);
  if (odd >= 0) return { lengthMismatch: `${feature.name}: view 0 has ${length} values, view ${odd} has ${rows[odd]!.length}` };
  const columns = Array.from({ length }, () => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    for (let j = 0; j < length; j++) columns[j]![i] = row[j]!;
  });
  return { columns };
}

/** The feature of every view, concatenated (for pooled tests). */
export function pooledValues(views: readonly View[], feature: Feature): Float64Array {
  return concatenated(views.map((v) => feature.extract(v)));
}

/** The values of every part, one after the other. */
function concatenated(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, r) => s + r.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
