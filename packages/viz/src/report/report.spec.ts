import { isNnsymError, type NnsymEvent } from '@nnsym/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countMarks, parseSvg } from '../testing/svg';
import { buildCombinedReport, buildReport } from './build';
import { registerBuiltinReportRenderers } from './default-registry';
import { loadReportInput, parseReportInput, reportInputFromResult } from './load';
import { ReportRendererRegistry } from './registry';

const prov = (command: string) => ({ command, version: '0.1.0', seed: 42, backend: 'wasm', precision: 'float64 (host)', time: '2026-11-23T10:00:00.000Z', argv: [command, '--json'] });

/** The SVGs of a report page, parsed. */
function svgs(html: string) {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parseSvg(m[0]));
}

/** A page is self-contained when it references nothing outside itself. */
function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
  const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'));
  expect(urls).toEqual([]);
}

describe('reports', () => {
  it('kernel result: provenance, parameters and one heatmap cell per kernel entry', async () => {
    const result = { nnsym: prov('ntk'), mode: 'analytic', ntk: [[2, 1, 0.5], [1, 2, 1], [0.5, 1, 2]], nngp: [[1, 0.5, 0.2], [0.5, 1, 0.5], [0.2, 0.5, 1]], inputs: [[0], [0.5], [1]], architecture: 'relu-net', P: 3 };
    const html = await buildReport(parseReportInput(JSON.stringify(result), 'ntk.json'));
    expect(html).toContain('data-renderer="kernel"');
    for (const s of ['0.1.0', '>42<', 'wasm', 'float64 (host)', 'nnsym ntk --json', 'relu-net']) expect(html).toContain(s);
    const plots = svgs(html);
    expect(plots).toHaveLength(2);
    for (const p of plots) expect(countMarks(p, 'rect')).toBe(9);
    expectSelfContained(html);
  });

  it('train event log (JSONL ending with the result line): loss per step and per-epoch curves', async () => {
    const ev: NnsymEvent[] = [{ type: 'run-start', command: 'train', config: { dataset: 'mnist', epochs: 3 }, seed: 7, backend: 'wasm', version: '0.1.0', time: 't' }];
    let step = 0;
    for (let epoch = 0; epoch < 3; epoch++) {
      ev.push({ type: 'epoch-start', epoch, epochs: 3 });
      for (let batch = 0; batch < 5; batch++) ev.push({ type: 'batch-end', epoch, batch, step: step++, loss: 2 / (1 + step), size: 32 });
      ev.push({ type: 'epoch-end', epoch, epochs: 3, metrics: { loss: 1 / (epoch + 1), accuracy: 0.5 + 0.1 * epoch, testLoss: 1.1 / (epoch + 1), testAccuracy: 0.45 + 0.1 * epoch } });
    }
    ev.push({ type: 'run-end', summary: { testAccuracy: 0.65 } });
    const lines = [...ev.map((e) => JSON.stringify(e)), JSON.stringify({ nnsym: prov('train'), type: 'summary', testAccuracy: 0.65 })];
    const input = parseReportInput(lines.join('\n') + '\n', 'train.jsonl');
    expect(input.events).toHaveLength(ev.length);
    expect(input.provenance.seed).toBe(42); // the result line's envelope wins over run-start
    const html = await buildReport(input);
    expect(html).toContain('data-renderer="train"');
    const plots = svgs(html);
    expect(plots).toHaveLength(3);
    expect(countMarks(plots[0], 'symbol')).toBe(15); // 15 steps
    expect(countMarks(plots[1], 'line')).toBe(2); // loss, testLoss
    expect(countMarks(plots[1], 'symbol')).toBe(6);
    expect(countMarks(plots[2], 'symbol')).toBe(6); // accuracy, testAccuracy x 3 epochs
    expect(html).toContain('config.dataset');
  });

  it('symmetry result: verdict table and badges', async () => {
    const r = { nnsym: prov('symmetry'), group: 'SO(3)', on: 'outputs', verdict: 'broken', predicted: 'broken', agree: true, pValue: 1e-9, statistic: 80, dof: 6, effectSize: 0.4, networks: 10000, unbrokenSubgroup: 'SO(2)', perOrder: { '2': { statistic: 50, dof: 3, pValue: 1e-8 } }, unbroken: { group: 'SO(2)', verdict: 'invariant', agree: true, pValue: 0.4 } };
    const html = await buildReport(parseReportInput(JSON.stringify(r), 'sym.json'));
    expect(html).toContain('data-renderer="symmetry"');
    expect(html).toContain('SO(3): broken');
    expect(html).toContain('badge ok');
    expect(html).toContain('unbroken subgroup SO(2): invariant');
  });

  it('correlators result: per-order plots with bands and the G2 heatmap', async () => {
    const tuples = [[0, 0], [0, 1], [1, 1]];
    const r = { nnsym: prov('correlators'), orders: [{ order: 2, tuples, estimate: [1.02, 0.49, 0.98], stderr: [0.01, 0.01, 0.01], gp: [1, 0.5, 1] }], sweep: [{ width: 10, deviation: 0.1, stderr: 0.01 }, { width: 100, deviation: 0.01, stderr: 0.005 }] };
    const html = await buildReport(parseReportInput(JSON.stringify(r), 'c.json'));
    expect(html).toContain('data-renderer="correlators"');
    const plots = svgs(html);
    expect(countMarks(plots[0], 'rect')).toBe(4); // 2 x 2 matrix, symmetrised
    expect(countMarks(plots[1], 'symbol')).toBe(3); // ensemble points; the GP is dashed, without points
    expect(countMarks(plots[1], 'area')).toBe(1);
    expect(countMarks(plots[2], 'symbol')).toBe(3); // ensemble vs GP scatter
    expect(countMarks(plots[3], 'symbol')).toBe(2); // deviation vs 1/N
  });

  it('unknown command: the generic renderer tables scalars and plots arrays and matrices', async () => {
    const r = { nnsym: prov('frobnicate'), alpha: 0.5, curve: Array.from({ length: 20 }, (_, i) => i * i), matrix: [[1, 2], [3, 4]], rows: [{ a: 1, b: 'x' }, { a: 2, b: 'y' }] };
    const html = await buildReport(parseReportInput(JSON.stringify(r), 'f.json'));
    expect(html).toContain('data-renderer="generic"');
    const plots = svgs(html);
    expect(plots.map((p) => countMarks(p, 'symbol') + countMarks(p, 'rect'))).toEqual([20, 4]);
    expect(html).toContain('<th>b</th>');
  });

  it('a run directory combines result.json and events.jsonl', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-report-'));
    writeFileSync(join(dir, 'result.json'), JSON.stringify({ nnsym: prov('noether'), steps: 3 }));
    writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify({ format: 'nnsym-checkpoint' }));
    writeFileSync(join(dir, 'events.jsonl'), [{ type: 'metric', step: 0, name: 'charges', values: { q: 1 } }, { type: 'metric', step: 1, name: 'charges', values: { q: 1 } }].map((e) => JSON.stringify(e)).join('\n'));
    const input = loadReportInput(dir);
    expect(input.provenance.command).toBe('noether');
    expect(input.events).toHaveLength(2);
  });

  it.each([
    ['{"a": 1}', /is not an nnsym result: JSON without an "nnsym" provenance field/],
    ['[1, 2, 3]', /is not an nnsym result: a JSON array/],
    ['hello world', /is not an nnsym result or event log: not JSON/],
    ['{"type": "run-start"}\n{"type": "bogus"}', /is not an nnsym event log: line 2: missing or unknown "type"/],
    ['', /is empty/],
  ])('not an nnsym result: %j -> one line saying what it is not (exit 2)', (text, msg) => {
    let err: unknown;
    try {
      parseReportInput(text, '/x/file.json');
    } catch (e) {
      err = e;
    }
    expect(isNnsymError(err)).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(2);
    expect((err as Error).message).toMatch(msg);
    expect((err as Error).message).not.toContain('\n');
  });

  it('registry: duplicates throw, unknown ids name the closest, resolution uses the first word of the command', () => {
    const reg = registerBuiltinReportRenderers(new ReportRendererRegistry());
    expect(() => reg.register(reg.get('kernel'))).toThrow(/already registered/);
    expect(() => reg.get('kernal')).toThrow(/did you mean "kernel"/);
    const input = (command: string, payload: Record<string, unknown> = {}) => ({ source: 's', provenance: { command }, payload, events: [] });
    expect(reg.resolve(input('experiment init-symmetry', { cells: [{ k: 1 }] })).meta.id).toBe('experiment');
    expect(reg.resolve(input('experiment init-symmetry')).meta.id).toBe('generic'); // matches() refuses: no cells
    reg.register({ meta: { id: 'mine', description: 'test' }, commands: ['kernel'], render: () => [] }, {});
    expect(reg.resolve(input('kernel')).meta.id).toBe('kernel'); // registration order
    reg.unregister('kernel');
    expect(reg.resolve(input('kernel')).meta.id).toBe('mine');
  });
});

describe('combined reports (nnsym demo)', () => {
  it('one page, one part per result, each laid out by its own renderer', async () => {
    const kernel = reportInputFromResult({ nnsym: prov('kernel'), kernel: [[1, 0.5], [0.5, 1]] });
    const sym = reportInputFromResult({ nnsym: prov('symmetry'), group: 'SO(3)', verdict: 'invariant', predicted: 'invariant', agree: true, pValue: 0.4 });
    const html = await buildCombinedReport(
      [
        { heading: '1. Kernel', input: kernel },
        { heading: '2. Symmetry', input: sym, intro: 'SO(3) at μ = 0' },
      ],
      { title: 'nnsym demo', intro: 'tour' },
    );
    expect([...html.matchAll(/<div class="part" id="part-\d" data-renderer="([^"]+)"/g)].map((m) => m[1])).toEqual(['kernel', 'symmetry']);
    expect(svgs(html).map((s) => countMarks(s, 'rect'))).toEqual([4]);
    expect(html).toContain('SO(3): invariant');
    expectSelfContained(html.replace(/href="#part-\d"/g, ''));
    expect(() => reportInputFromResult({ a: 1 })).toThrow(/not an nnsym result/);
  });
});
