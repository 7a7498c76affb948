import { createArchitecture, sampleHostParams, Rng, ensembleChunks, initBackend, type HostParamSet, type ParamLayout } from '@nnsym/core';
import { parseInitSpec, formatInitSpec } from './parse';
import { resolveInit } from './resolve';
import { compileInitSpec } from './compile';

const arch = (cfg: Record<string, unknown> = {}) =>
  createArchitecture('mlp', { depth: 2, width: 30, dIn: 3, dOut: 4, sigmaW: 1.5, sigmaB: 0.5, ...cfg });

/** Entries of parameter L in rows [r0, r1) of every network, pooled (iid under the spec). */
function block(host: HostParamSet, L: ParamLayout, m: number, r0 = 0, r1 = L.shape[0]): number[] {
  const C = L.shape.length > 1 ? L.shape[1] : 1;
  const n = L.shape[0] * C;
  const out: number[] = [];
  for (let k = 0; k < m; k++) for (let r = r0; r < r1; r++) for (let c = 0; c < C; c++) out.push(host[L.name][k * n + r * C + c]);
  return out;
}

/**
 * Mean within 4 SE (SE = σ/√n) and variance within 4 SE (SE = √((μ4 − σ⁴)/n), μ4 = kurt·σ⁴: 3 normal, 6 laplace,
 * 9/5 uniform, 3 + 6/(df − 4) student-t).
 */
function expectLaw(x: number[], mean: number, variance: number, kurt: number): void {
  const n = x.length;
  const m = x.reduce((s, v) => s + v, 0) / n;
  const v = x.reduce((s, y) => s + (y - m) ** 2, 0) / (n - 1);
  expect(Math.abs(m - mean)).toBeLessThanOrEqual(4 * Math.sqrt(variance / n));
  expect(Math.abs(v - variance)).toBeLessThanOrEqual(4 * Math.sqrt(((kurt - 1) * variance * variance) / n));
}

beforeAll(async () => {
  await initBackend();
});

describe('InitSpec', () => {
  test('string form: rules, selectors, presets; JSON form; round trip through formatInitSpec', () => {
    expect(parseInitSpec('W1.rows[0:2].mean=0.5').rules).toEqual([{ target: 'W1', rows: [0, 2], mean: 0.5 }]);
    expect(parseInitSpec('W*=laplace; b*=point-mass(value=0); W0.gain=2; Wout.rows[1:].cols[0:3]=student-t(df=5,scale=0.1)').rules).toEqual(
      [
        { target: 'W*', dist: 'laplace' },
        { target: 'b*', dist: 'point-mass', params: { value: 0 } },
        { target: 'W0', gain: 2 },
        { target: 'Wout', rows: [1], cols: [0, 3], dist: 'student-t', params: { df: 5, scale: 0.1 } },
      ],
    );
    expect(parseInitSpec('mean-rows(k=2,mu=0.5)').rules).toEqual([{ target: 'Wout', rows: [0, 2], mean: 0.5 }]);
    expect(parseInitSpec('normal').rules).toEqual([]);
    expect(parseInitSpec('[{"target":"Wout","rows":[0,2],"mean":0.5}]').rules).toEqual([{ target: 'Wout', rows: [0, 2], mean: 0.5 }]);
    const s = 'W*=laplace;b1=uniform(low=-1,high=1);Wout.rows[0:2].mean=0.5;W0.cols[1:].std=0.2';
    expect(formatInitSpec(parseInitSpec(s))).toBe(s);
  });

  test('bad specs: one-line errors naming the init option', () => {
    const bad: [string, RegExp][] = [
      ['W1.rows[2:1].mean=1', /rows\[2:1\] is empty/],
      ['W1.mean=abc', /mean must be a finite number/],
      ['V1=normal', /bad target "V1"/],
      ['W1.scale=2', /unknown field "scale"/],
      ['W1', /is not a rule/],
      ['W1.std=-1', /std must be >= 0/],
      ['[{"target":"W1","foo":1}]', /rule 0 has unknown field "foo"/],
      ['[{"target":"W1"', /malformed JSON/],
      ['mean-rows(k=0,mu=1)', /k must be a positive integer/],
    ];
    for (const [v, re] of bad) expect(() => parseInitSpec(v)).toThrow(re);
    const L = arch().layout();
    expect(() => resolveInit(parseInitSpec('W5.mean=1'), L)).toThrow(
      /^init: target W5 matches no parameter; parameters: W0, b0, W1, b1, W2, b2$/,
    );
    expect(() => resolveInit(parseInitSpec('Wout.rows[0:5].mean=1'), L)).toThrow(/outside W2, which has 4 rows per network/);
    expect(() => resolveInit(parseInitSpec('W0=cauchy'), L)).toThrow(/^init: W0: unknown distribution "cauchy"/);
    expect(() => resolveInit(parseInitSpec('W0=normal(sd=1)'), L)).toThrow(/^init: W0: distribution "normal": config/);
    expect(() => resolveInit(parseInitSpec('b0.cols[0:1].mean=1'), L)).toThrow(/is a bias vector/);
  });

  test('default init: every layer N(0, σ_w²/fan_in) / N(0, σ_b²) within 4 SE (NTK: N(0, 1))', () => {
    for (const parameterization of ['standard', 'ntk']) {
      const a = arch({ parameterization });
      const m = 60;
      const host = sampleHostParams(a.layout(), new Rng(1), m, compileInitSpec(parseInitSpec('normal'), a.layout()));
      for (const L of a.layout()) {
        const std = parameterization === 'ntk' ? 1 : L.role === 'weight' ? 1.5 / Math.sqrt(L.fanIn) : 0.5;
        expect(L.std).toBeCloseTo(std, 14);
        expectLaw(block(host, L, m), 0, std * std, 3);
      }
    }
  });

  test('layer-wise laws and the mean-μ row block (arXiv 2106.00694) have the requested moments in every layer', () => {
    const a = arch();
    const L = Object.fromEntries(a.layout().map((p) => [p.name, p]));
    const spec = parseInitSpec(
      'W0=laplace; W1=student-t(df=10); b*=uniform; b1.std=0.3; Wout.rows[0:2].mean=0.5; Wout.rows[3:4]=point-mass(value=-1)',
    );
    const m = 200;
    const host = sampleHostParams(a.layout(), new Rng(2), m, compileInitSpec(spec, a.layout()));
    const s0 = 1.5 / Math.sqrt(3);
    const s1 = 1.5 / Math.sqrt(30);
    expectLaw(block(host, L.W0, m), 0, s0 * s0, 6);
    expectLaw(block(host, L.W1, m), 0, s1 * s1, 3 + 6 / (10 - 4));
    expectLaw(block(host, L.b0, m), 0, 0.25, 9 / 5);
    expectLaw(block(host, L.b1, m), 0, 0.09, 9 / 5);
    expectLaw(block(host, L.b2, m), 0, 0.25, 9 / 5);
    expectLaw(block(host, L.W2, m, 0, 2), 0.5, s1 * s1, 3); // the symmetry-breaking block
    expectLaw(block(host, L.W2, m, 2, 3), 0, s1 * s1, 3); // untouched row
    expect(new Set(block(host, L.W2, m, 3, 4))).toEqual(new Set([-1]));
    const r = resolveInit(spec, a.layout());
    expect(r.find((p) => p.name === 'W2')!.blocks.map((b) => [b.rows, b.cols, b.dist.id, b.dist.mean])).toEqual([
      [[0, 2], [0, 30], 'normal', 0.5],
      [[3, 4], [0, 30], 'point-mass', -1],
    ]);
    expect(r.find((p) => p.name === 'W0')!.base.invariance.group).toBe('B(n)');
  });

  test('a mean shift is an affine map of the same draws: broken and symmetric ensembles differ only on the block', () => {
    const a = arch();
    const sym = [...ensembleChunks({ arch: a, inputs: [[1, 2, 3]], ensemble: 6, chunkSize: 3, seed: 5, keepParams: true })];
    const sampler = compileInitSpec(parseInitSpec('mean-rows(k=2,mu=0.5)'), a.layout());
    const brk = [...ensembleChunks({ arch: a, inputs: [[1, 2, 3]], ensemble: 6, chunkSize: 3, seed: 5, keepParams: true, sampler })];
    for (let c = 0; c < 2; c++) {
      expect(brk[c].params!.W0).toEqual(sym[c].params!.W0);
      const d = Array.from(brk[c].params!.W2, (v, i) => v - sym[c].params!.W2[i]);
      d.forEach((v, i) => expect(v).toBeCloseTo(i % 120 < 60 ? 0.5 : 0, 6)); // W2 is [4, 30] per network
    }
  });
});
