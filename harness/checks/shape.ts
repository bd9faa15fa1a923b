/**
 * Shape check (design §7a): every view — under the fixed secret, under random secrets, and
 * simulated — has the same messages in the same order: label, kind and size. A size that depends on
 * the other party's secret is a leak; a simulator that gets a size wrong is not a simulator of this
 * protocol. Deterministic: it cannot fail by chance.
 */
import type { View } from '../view.ts';
import type { Check, CheckResult, Evidence } from './check.ts';

/** The shape of a view: one `label|kind|size` entry per message. */
export function shapeOf(view: View): string[] {
  return view.messages.map((m) => `${m.label}|${m.kind}|${m.bytes.length}`);
}

function firstDifference(a: readonly string[], b: readonly string[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `message ${i}: ${a[i] ?? '(none)'} vs ${b[i] ?? '(none)'}`;
  }
  return '';
}

export function shapeCheck(name = 'shape'): Check {
  return {
    name,
    statistical: false,
    run(evidence: Evidence): CheckResult {
      const groups = [
        ['fixed', evidence.fixed],
        ['random', evidence.random],
        ['simulated', evidence.simulated],
      ] as const;
      const all = groups.flatMap(([group, views]) => views.map((view, i) => ({ where: `${group} view ${i}`, shape: shapeOf(view) })));
      if (all.length === 0) throw new RangeError(`${name}: no views`);
      const reference = all[0]!;
      const differing = all.filter((v) => firstDifference(reference.shape, v.shape) !== '');
      const first = differing[0];
      return {
        name,
        method: 'message count, order, label, kind and size of every view against the first',
        statistic: { name: 'views of another shape', value: differing.length },
        margin: { name: 'views of another shape (must be 0)', value: differing.length },
        verdict: differing.length === 0 ? 'pass' : 'fail',
        samples: groups.map(([group, views]) => `${views.length} ${group}`).join(', '),
        finding: first
          ? `${first.where} differs from ${reference.where} at ${firstDifference(reference.shape, first.shape)}`
          : `${reference.shape.length} messages, all views alike`,
        attempts: 1,
      };
    },
  };
}
