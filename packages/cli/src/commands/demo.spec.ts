import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countMarks, parseSvg } from '@nnsym/viz/testing';
import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

/** The inline SVGs of one part of a combined report (`<div class="part" id="part-k" ...>` up to the next part). */
function partSvgs(html: string, k: number): string[] {
  const start = html.indexOf(`<div class="part" id="part-${k}"`);
  if (start < 0) return [];
  const next = html.indexOf('<div class="part" id="part-', start + 10);
  const body = html.slice(start, next < 0 ? undefined : next);
  return body.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

describe('nnsym demo --quick (end to end through main)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let r: { code: number; out: string; err: string };
  let html = '';

  beforeAll(async () => {
    r = await run(['--seed', '1', '--json', 'demo', '--quick', '--out', dir]);
    if (r.code === 0) html = readFileSync(join(dir, 'report.html'), 'utf8');
  }, 120_000);

  it('writes report.html and every step result beside it, and a --json summary', () => {
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    for (const f of ['report.html', '1-correlators.json', '2-symmetry.json', '3-symmetry-broken.json', '4-train.jsonl', '5-noether.json']) expect(existsSync(join(dir, f))).toBe(true);
    const j = JSON.parse(r.out);
    expect(j.nnsym).toMatchObject({ command: 'demo', seed: 1 });
    expect(j.report).toBe(join(dir, 'report.html'));
    expect(j.steps.map((s: { id: string }) => s.id)).toEqual(['correlators', 'symmetry', 'symmetry-broken', 'train', 'noether']);
    // progress on stderr: one line per step, then the report
    expect(r.err.match(/^demo \[\d\/4\] /gm)).toHaveLength(5);
    const c = JSON.parse(readFileSync(join(dir, '1-correlators.json'), 'utf8'));
    expect(c.nnsym.command).toBe('correlators');
    expect(c.orders['4'].exact).toHaveLength(70);
  });

  it('the page is self-contained, with the four parts in order and each by its renderer', () => {
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org)/);
    const renderers = [...html.matchAll(/<div class="part" id="part-(\d)" data-renderer="([a-z]+)"/g)].map((m) => m[2]);
    expect(renderers).toEqual(['correlators', 'symmetry', 'symmetry', 'train', 'noether']);
    for (const h of ['1. Correlators of', '2a. SO(3) symmetry of the outputs at μ = 0', '2b. SO(3) broken by a mean μ = 0.5', '3. Training a', '4. Noether charges']) expect(html).toContain(h);
  });

  it('part 1: G2 heatmap 5 x 5, G2 and G4 against the GP and the exact values, with error bands', () => {
    const svgs = partSvgs(html, 1).map((s) => parseSvg(s));
    // order 2: heatmap, tuple plot, scatter; order 4: tuple plot, scatter
    expect(svgs).toHaveLength(5);
    expect(countMarks(svgs[0], 'rect')).toBe(25);
    expect(countMarks(svgs[2], 'symbol')).toBe(15);
    expect(countMarks(svgs[4], 'symbol')).toBe(70);
    // tuple plots: one line per series (ensemble, GP, exact) and one error band
    for (const i of [1, 3]) {
      expect(countMarks(svgs[i], 'line')).toBe(3);
      expect(countMarks(svgs[i], 'area')).toBe(1);
    }
  });

  it('part 2: SO(3) invariant at μ = 0; broken at μ > 0 with SO(2) still invariant, all as predicted', () => {
    expect(html).toContain('<span class="badge ok">SO(3): invariant</span>');
    expect(html).toContain('<span class="badge ok">SO(3): broken</span>');
    expect(html).toMatch(/<span class="badge ok">unbroken subgroup [^<]*SO\(2\): invariant<\/span>/);
  });

  it('part 3: loss per step and loss / accuracy per epoch, train and test', () => {
    const svgs = partSvgs(html, 4);
    expect(svgs.length).toBe(3);
    const steps = JSON.parse(r.out).steps[3].steps as number;
    expect(countMarks(svgs[0], 'symbol')).toBe(steps); // one point per step (the quick run has <= 60)
    expect(countMarks(svgs[1], 'line')).toBe(2); // loss, testLoss
    expect(countMarks(svgs[2], 'line')).toBe(2); // accuracy, testAccuracy
    expect(countMarks(svgs[2], 'symbol')).toBe(4); // 2 epochs x 2 series
  });

  it('part 4: loss, charge drift, and the eight neuron-rescaling charges with the control dashed', () => {
    const svgs = partSvgs(html, 5);
    expect(svgs).toHaveLength(3);
    expect(svgs[2]).toContain('Charges vs step (8); dashed: control (no charge)');
    expect(countMarks(svgs[2], 'line')).toBe(9);
    const noether = JSON.parse(readFileSync(join(dir, '5-noether.json'), 'utf8'));
    expect(noether.quantities.filter((q: { conserved: boolean }) => q.conserved)).toHaveLength(8);
  });
});
