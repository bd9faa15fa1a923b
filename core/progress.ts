/**
 * Progress of long phases (OT set-up, garbling levels, network layers, benchmark suites), reported
 * by engines through this interface only: whether and how it is shown (a terminal bar, nothing) is
 * the caller's choice (cli/progress.ts), so engines never depend on a display library.
 *
 * ```ts
 * const phase = progress.start('online: layers', layers.length);
 * for (const layer of layers) { await run(layer); phase.tick(1, layer.name); }
 * phase.done();
 * ```
 */
export interface Progress {
  /** Begin a phase of `total` steps (0 if unknown); several phases may run at once. */
  start(label: string, total: number): ProgressPhase;
}

export interface ProgressPhase {
  /** `steps` more steps done (default 1); `detail` names the current one (a layer, a level). */
  tick(steps?: number, detail?: string): void;
  /** The phase is over (also after a failure); later calls are ignored. */
  done(): void;
}

const NO_PHASE: ProgressPhase = { tick: () => {}, done: () => {} };

/** Reports nowhere: the default wherever no one is watching (tests, libraries, `--json`). */
export const NO_PROGRESS: Progress = { start: () => NO_PHASE };
