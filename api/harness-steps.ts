/**
 * `gazelle-ts/harness-steps`: the Cucumber step library for private inference with budgets
 * (harness/steps/). Importing this module registers the steps and their parameter types with the
 * project's own @cucumber/cucumber; a user's cucumber configuration names it in `import`:
 *
 * ```js
 * // cucumber.mjs
 * export default { import: ['node_modules/gazelle-ts/dist/api/harness-steps.js', 'features/**\/*.js'] };
 * ```
 *
 * Steps (a {size} is "2 MB", "300 kB", "1.5 MiB"; a {time} is "800 ms", "2.5 s"; a {phase} is
 * setup, offline or online; a {direction} is "client to server" or "server to client"):
 *
 * - Given network "<name or directory>" with configuration "<secure|fast|classic|tcp|wan or file.json>"
 * - Given the parties talk over a "<local|lan|wan>" link
 * - Given the server has <n> HE worker(s)                     (default: one per core; the plan, hence bytes and rounds, depend on it)
 * - When the client classifies <n> test digit(s)             (the first n MNIST test digits)
 * - When the client classifies <n> test digit(s), revealing only the label
 * - When the client classifies <n> random image(s)
 * - Then the private results equal the plaintext reference bit for bit
 * - Then at least <n> of them are classified correctly
 * - Then the {phase} traffic from {direction} is at most {size}
 * - Then the {phase} traffic is at most {size}                (both ways)
 * - Then the {offline|online} traffic of layer "<name>" is at most {size}
 * - Then the {phase} phase takes at most <n> round(s)
 * - Then the {phase} phase takes at most {time}              (median of the inferences)
 * - Then the whole inference takes at most {time}
 * - Then on a "<lan|wan>" link the {phase} traffic takes at most {time}   (the plan's predicted traffic: rounds × latency + bytes / bandwidth)
 * - Then the traffic is exactly what the plan predicts
 * - Then every returned ciphertext keeps the flooding margin the protocol requires
 * - Then the <client|server>'s view passes every privacy check   (the privacy audit of that view, as `gazelle audit` runs it)
 * - Then a report of the figures is written to "<directory>"  (report.json, report.md, report.html)
 */
import '../harness/steps/parameter-types.ts';
import '../harness/steps/inference-steps.ts';

export { BudgetExceededError } from '../harness/budgets.ts';
export { PrivacyCheckError, StepOrderError } from '../harness/steps/inference-steps.ts';
