/**
 * A report page in a real browser: Debian's Chromium (`apt-get install -y chromium`; another binary
 * with CHROMIUM_PATH) driven by playwright-core, headless, with a fresh profile directory and
 * nothing that phones home. The page is loaded from its HTML text, and every request it makes is
 * recorded and refused: a self-contained report makes none. Console errors and uncaught page
 * errors are collected per page. Used by the report test and by scripts/report-screenshots.ts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser cannot run here, or undefined if it can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `no Chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH)`;
}

export interface PageProblems {
  /** Messages the page logged at level error. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
  /** URLs the page tried to load (a self-contained page loads none). */
  readonly requests: string[];
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** A phone (iPhone 12-15 CSS pixels) and a desktop window. */
export const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const satisfies Record<string, Viewport>;

/** One headless Chromium with a fresh profile; each `open` is a new page in it. */
export class ReportBrowser {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<ReportBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'gazelle-chromium-'));
    try {
      const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS, offline: true });
      return new ReportBrowser(context, profile);
    } catch (error) {
      rmSync(profile, { recursive: true, force: true });
      throw error;
    }
  }

  /** Load `html` in a new page at `viewport`, run `use` on it, close the page. */
  async open<T>(html: string, viewport: Viewport, use: (page: Page, problems: PageProblems) => Promise<T>): Promise<T> {
    const page = await this.context.newPage();
    try {
      const problems: PageProblems = { consoleErrors: [], pageErrors: [], requests: [] };
      await page.route('**/*', (route) => {
        problems.requests.push(route.request().url());
        return route.abort();
      });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => problems.pageErrors.push(error.message));
      await page.setViewportSize(viewport);
      await page.setContent(html, { waitUntil: 'load' });
      return await use(page, problems);
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
