import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProgress, progressWanted, TerminalProgress } from './progress.ts';

/** A stream that says it is a terminal and keeps what is written to it. */
function fakeTerminal(): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return Object.assign(stream, { isTTY: true, columns: 120, text: () => chunks.join('') });
}

describe('progress display', () => {
  const watching = { json: false, quiet: false, env: {}, stdoutIsTerminal: true, stream: fakeTerminal() };

  it('is shown only to a person at a terminal: not with --json, --quiet, in CI or when output is redirected', () => {
    assert.equal(progressWanted(watching), true);
    assert.equal(progressWanted({ ...watching, json: true }), false);
    assert.equal(progressWanted({ ...watching, quiet: true }), false);
    assert.equal(progressWanted({ ...watching, env: { CI: 'true' } }), false);
    assert.equal(progressWanted({ ...watching, env: { CI: '1' } }), false);
    assert.equal(progressWanted({ ...watching, env: { CI: 'false' } }), true);
    assert.equal(progressWanted({ ...watching, env: { CI: '' } }), true);
    assert.equal(progressWanted({ ...watching, stdoutIsTerminal: false }), false);
    assert.equal(progressWanted({ ...watching, stream: Object.assign(fakeTerminal(), { isTTY: false }) }), false);
  });

  it('draws a bar per phase with its label, count and detail, and lines above it', async () => {
    const stream = fakeTerminal();
    const progress = new TerminalProgress(stream);
    const phase = progress.start('garbling levels', 4);
    phase.tick(2, 'level 2');
    progress.write('an informational line');
    await sleep(250); // cli-progress redraws on a timer
    phase.done();
    phase.tick(); // ignored after done
    progress.close();
    const text = stream.text();
    assert.match(text, /garbling levels \[[^\]]*\] 2\/4 level 2/);
    assert.match(text, /an informational line\n/);
  });

  it('writes nothing but the lines when not wanted', () => {
    const stream = fakeTerminal();
    const progress = createProgress({ ...watching, stream, quiet: true });
    const phase = progress.start('phase', 3);
    phase.tick();
    phase.done();
    progress.write('line');
    progress.close();
    assert.equal(stream.text(), 'line\n');
  });
});
