#!/usr/bin/env node
// Screenshots for docs/viz.md from a real run (not a test): runs `nnsym train --json` as a child process, streams its
// events into the live dashboard (@nnsym/viz startDashboard) through an RxJS Subject, screenshots the page in headless
// Chromium mid-run and at the end, then builds the HTML report of the same run and screenshots it.
// Needs built dists: NX_DAEMON=false npx nx run @nnsym/cli:build. Usage (from the repo root):
//   node packages/viz/scripts/docs-screenshots.js [outDir=docs/images] [workDir=/tmp/nnsym-docs]
'use strict';
const { spawn } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const readline = require('node:readline');
const { Subject } = require('rxjs');
const { chromium } = require('playwright-core');
const { startDashboard, buildReport, loadReportInput } = require('../dist/index.js');

const root = resolve(__dirname, '../../..');
const outDir = resolve(process.argv[2] ?? join(root, 'docs/images'));
const work = resolve(process.argv[3] ?? '/tmp/nnsym-docs');
const argv = ['train', '--dataset', 'mnist', '--hidden', '128', '--epochs', '6', '--limit-train', '12000', '--limit-test', '2000', '--log-every', '5', '--seed', '1', '--json'];

async function main() {
  mkdirSync(outDir, { recursive: true });
  mkdirSync(work, { recursive: true });
  const events$ = new Subject();
  const dash = await startDashboard(events$, { port: 0, graceMs: 60000, title: 'nnsym train' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1180, height: 860 } });
  await page.goto(dash.url);
  const child = spawn(process.execPath, [join(root, 'packages/cli/bin/nnsym.js'), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  let epochs = 0;
  let shot;
  for await (const line of readline.createInterface({ input: child.stdout })) {
    lines.push(line);
    const v = JSON.parse(line);
    if (v.nnsym) continue; // the result line
    events$.next(v);
    if (v.type === 'epoch-end' && ++epochs === 4) {
      await page.waitForFunction((n) => document.getElementById('events-count').textContent === String(n), lines.length);
      shot = page.screenshot({ path: join(work, 'dashboard-midrun.png'), fullPage: true });
    }
  }
  await shot;
  events$.complete();
  await page.waitForFunction(() => document.getElementById('status').getAttribute('data-state') === 'finished');
  await page.screenshot({ path: join(outDir, 'dashboard.png'), fullPage: true });
  const log = join(work, 'train.jsonl');
  writeFileSync(log, lines.join('\n') + '\n');
  const html = join(work, 'train-report.html');
  writeFileSync(html, await buildReport(loadReportInput(log)));
  await page.goto(pathToFileURL(html).href);
  await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
  await browser.close();
  await dash.close();
  console.error(`wrote ${join(outDir, 'dashboard.png')}, ${join(outDir, 'report.png')} (run: nnsym ${argv.join(' ')}; log ${log})`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
