/// <reference lib="dom" />
/**
 * Browser tests with real headless Chromium (Debian `chromium`, driven by playwright-core): a generated report
 * shows its plots with the right number of marks without any network access, and the live dashboard updates as
 * events are pushed through an RxJS Subject, survives a reload mid-run, and shows the end of the run.
 * Screenshots are kept under packages/viz/test-artifacts/ (gitignored).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Subject } from 'rxjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { NnsymEvent } from '@nnsym/core';
import { startDashboard } from '../dashboard/server';
import { buildReport } from '../report/build';
import { parseReportInput } from '../report/load';

const CHROMIUM = process.env['NNSYM_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

jest.setTimeout(30000);

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it; or set NNSYM_CHROMIUM)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
});

/** A page that refuses every request that is not to `allowed` (file: or the dashboard), recording the refused ones. */
async function offlinePage(allowed: (url: string) => boolean): Promise<{ page: Page; refused: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    refused.push(url);
    return route.abort();
  });
  return { page: await context.newPage(), refused };
}

const prov = { command: 'ntk', version: '0.1.0', seed: 42, backend: 'wasm', precision: 'float64 (host arithmetic; analytic, no sampling)', time: '2026-11-23T10:00:00.000Z', argv: ['ntk', '--arch', 'relu-net', '--json'] };

describe('report in Chromium', () => {
  it('opens offline and shows the plots with the right number of marks', async () => {
    const P = 5;
    const k = (f: (i: number, j: number) => number) => Array.from({ length: P }, (_, i) => Array.from({ length: P }, (_, j) => f(i, j)));
    const result = { nnsym: prov, mode: 'analytic', ntk: k((i, j) => 2 * Math.exp(-Math.abs(i - j) / 2)), nngp: k((i, j) => Math.exp(-Math.abs(i - j) / 2)), inputs: [-1, -0.5, 0, 0.5, 1].map((x) => [x]) };
    const file = join(ARTIFACTS, 'report-kernel.html');
    writeFileSync(file, await buildReport(parseReportInput(JSON.stringify(result), 'ntk.json')));
    const { page, refused } = await offlinePage((u) => u.startsWith('file:'));
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('figure.plot svg').count()).toBe(2);
    const cells = await page.$$eval('figure.plot svg', (svgs) => svgs.map((s) => s.querySelectorAll('g.mark-rect.role-mark > path').length));
    expect(cells).toEqual([P * P, P * P]);
    // The SVG is laid out: every cell has a non-zero box.
    const box = await page.locator('g.mark-rect.role-mark > path').first().boundingBox();
    expect(box && box.width > 5 && box.height > 5).toBe(true);
    await expect(page.locator('body')).toBeDefined();
    expect(await page.textContent('body')).toContain('float64 (host arithmetic');
    expect(refused).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.context().close();
  });
});

describe('dashboard in Chromium', () => {
  it('updates as events arrive, replays history after a reload, and shows the end of the run', async () => {
    const events$ = new Subject<NnsymEvent>();
    const dash = await startDashboard(events$, { port: 0, graceMs: 200, title: 'nnsym train' });
    const { page, refused } = await offlinePage((u) => u.startsWith(dash.url));
    let sent = 0;
    const send = (e: NnsymEvent) => {
      events$.next(e);
      sent++;
    };
    const waitCount = (n: number) => page.waitForFunction((m) => document.getElementById('events-count')?.textContent === String(m), n, { timeout: 10000 });
    const seriesN = (chart: string, series: string) => page.getAttribute(`svg.chart[data-chart="${chart}"] path.series[data-series="${series}"]`, 'data-n');
    try {
      await page.goto(dash.url);
      send({ type: 'run-start', command: 'train', config: { dataset: 'mnist', hidden: '128', epochs: 2, lr: 0.05 }, seed: 0, backend: 'wasm', version: '0.1.0', time: new Date().toISOString() });
      let step = 0;
      const epoch = (e: number) => {
        send({ type: 'epoch-start', epoch: e, epochs: 2 });
        for (let b = 0; b < 20; b++) send({ type: 'batch-end', epoch: e, batch: b, step: step, loss: 2.3 * Math.exp(-step++ / 15) + 0.1, size: 64, metrics: { accuracy: 0.5 } });
        send({ type: 'epoch-end', epoch: e, epochs: 2, metrics: { loss: 1 / (e + 1), accuracy: 0.8 + 0.05 * e, testLoss: 1.1 / (e + 1), testAccuracy: 0.78 + 0.05 * e } });
        send({ type: 'metric', step, name: 'charges', values: { 'Q_0': 1 + 0.001 * e, 'Q_1': 0.5 } });
      };
      epoch(0);
      await waitCount(sent);
      expect(await page.getAttribute('#status', 'data-state')).toBe('running');
      expect(await seriesN('loss', 'loss')).toBe('20');
      expect(await seriesN('accuracy', 'testAccuracy')).toBe('1');
      expect(await page.textContent('#run')).toContain('nnsym train');

      // Reload mid-run: the page gets the history replayed, then live events again.
      await page.reload();
      await waitCount(sent);
      expect(await seriesN('loss', 'loss')).toBe('20');
      epoch(1);
      send({ type: 'progress', done: 2, total: 2, unit: 'epochs' });
      await waitCount(sent);
      expect(await seriesN('loss', 'loss')).toBe('40');
      expect(await seriesN('accuracy', 'testAccuracy')).toBe('2');
      expect(await seriesN('metric-charges-0', 'Q_0')).toBe('2');
      expect(await page.textContent('#progress-text')).toContain('2 / 2 epochs');

      send({ type: 'run-end', summary: { epochs: 2, testAccuracy: 0.83 } });
      events$.complete();
      await page.waitForFunction(() => document.getElementById('status')?.getAttribute('data-state') === 'finished', undefined, { timeout: 10000 });
      expect(await page.textContent('#summary')).toContain('0.83');
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      await dash.closed;
      expect(refused).toEqual([]);
    } finally {
      await dash.close();
      await page.context().close();
    }
  });
});
