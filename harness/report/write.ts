/** A report on disk: report.json (machines), report.md and report.html (people), side by side in one directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReportPaths {
  readonly json: string;
  readonly markdown: string;
  readonly html: string;
}

/** Write the three files into `dir` (created if needed); returns their paths. */
export function writeReportFiles(dir: string, data: unknown, markdown: string, html: string): ReportPaths {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, 'report.json'), markdown: join(dir, 'report.md'), html: join(dir, 'report.html') };
  writeFileSync(paths.json, JSON.stringify(data, null, 2) + '\n');
  writeFileSync(paths.markdown, markdown);
  writeFileSync(paths.html, html);
  return paths;
}
