import { Rng, UsageError, type SeedKey } from '@nnsym/core';
import type { GroupAction } from '@nnsym/groups';
import { fixedPointSubspace, type Subspace } from './fixed-point';
import { mfAccumulateGrad, mfForward, randomParticles, type MeanFieldNet } from './model';
import { mmd2, siDistance2, subsampleRows, wiDistance2 } from './distances';

/** Training schemes of arXiv 2405.19995: free (vanilla), data augmentation, feature averaging, equivariant architecture. */
export type MeanFieldScheme = 'vanilla' | 'da' | 'fa' | 'ea';
/** Teacher laws: arbitrary, weakly invariant (a union of G-orbits), strongly invariant (supported on E^G). */
export type TeacherKind = 'arbitrary' | 'wi' | 'si';

export interface MeanFieldConfig {
  group: GroupAction;
  width: number;
  teacher: TeacherKind;
  scheme: MeanFieldScheme;
  steps: number;
  lr: number;
  batch?: number;
  /** Teacher units before symmetrisation (default 4). */
  teacherUnits?: number;
  /** Student initial law: iid Gaussian (WI for an orthogonal G) or projected onto E^G (SI). */
  init?: 'gaussian' | 'si';
  seed?: SeedKey;
  recordEvery?: number;
  sigma?: (z: number) => number;
  dsigma?: (z: number) => number;
  /** Elements used to average over a continuous group (default 16 Haar samples, fixed seed). */
  discretisation?: number;
  /** Cap on particles in the O(n^2) kernel distances (default 400; deterministic subsample). */
  maxKernelParticles?: number;
  /** Start the student's w in this subspace (d x d projector) instead of `init` (used by subspace discovery). */
  initProjector?: Float64Array;
  /** Use these teacher particles instead of drawing a `teacher` law. */
  teacherParticles?: { theta: Float64Array; n: number };
}

export interface MeanFieldRecord {
  step: number;
  /** Population risk 1/2 E (f - f*)^2 on a fixed test sample of 1024 inputs. */
  risk: number;
  /** MMD^2 between the particle law and its symmetrisation: 0 iff weakly invariant. */
  wi: number;
  /** MMD^2 between the particle law and its projection on E^G: 0 iff strongly invariant. */
  si: number;
  /** Mean squared distance of the particles' w to E^G. */
  offFixed: number;
}

export interface MeanFieldResult {
  config: {
    group: string;
    d: number;
    width: number;
    teacher: TeacherKind;
    scheme: MeanFieldScheme;
    steps: number;
    lr: number;
    batch: number;
    init: string;
    elements: number;
  };
  fixedPoint: { dimension: number; ambient: number; unitDimension: number; method: string };
  records: MeanFieldRecord[];
  final: MeanFieldRecord;
  /** Final particles [width, d + 2] (a, w, b). */
  particles: Float64Array;
  precision: 'float64';
}

/** Elements to average over: all of them for a small finite group, else a fixed-seed Haar discretisation. */
export function averagingElements(group: GroupAction, k = 16): { matrices: Float64Array[]; exact: boolean } {
  if (!group.matrix) throw new UsageError(`group ${group.name}: mean-field schemes need a linear action`, 'group');
  const els = group.elements?.();
  if (els && els.length <= 720) return { matrices: els.map((g) => group.matrix!(g)), exact: true };
  const rng = new Rng('discretisation', [group.name, k]);
  return { matrices: Array.from({ length: k }, () => group.matrix!(group.sample(rng))), exact: false };
}

function applyToW(theta: Float64Array, n: number, d: number, M: Float64Array, out = new Float64Array(theta.length)): Float64Array {
  const D = d + 2;
  out.set(theta);
  for (let i = 0; i < n; i++) {
    const o = i * D + 1;
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += M[r * d + c] * theta[o + c];
      out[o + r] = s;
    }
  }
  return out;
}

function matvec(M: Float64Array, x: Float64Array, xo: number, d: number, out: Float64Array): Float64Array {
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += M[r * d + c] * x[xo + c];
    out[r] = s;
  }
  return out;
}

/** The teacher's particles for a law kind: arbitrary, WI (orbits of random units), SI (units projected on E^G). */
export function teacherParticles(
  kind: TeacherKind,
  d: number,
  units: number,
  E: Subspace,
  elements: Float64Array[],
  seed: SeedKey,
): { theta: Float64Array; n: number } {
  const base = randomParticles(units, d, `${seed}:teacher`, { sa: 2, sb: 0.5 });
  if (kind === 'arbitrary') return { theta: base, n: units };
  if (kind === 'si') {
    if (E.dimension === 0)
      throw new UsageError(
        'teacher si: the fixed-point subspace E^G is {0} (dimension 0): an SI teacher would have w = 0 in every unit',
        'teacher',
      );
    return { theta: applyToW(base, units, d, E.projector), n: units };
  }
  const D = d + 2;
  const out = new Float64Array(units * elements.length * D);
  elements.forEach((M, g) => out.set(applyToW(base, units, d, M), g * units * D));
  return { theta: out, n: units * elements.length };
}

/**
 * Train a mean-field student of N units on teacher data under one scheme and record, along the way, the risk and
 * how far the particle law is from weak (WI) and strong (SI) invariance. Online SGD: each step draws a fresh batch
 * x ~ N(0, I_d) (a G-invariant input law) with labels y = f*(x); the batch stream depends only on the seed, so the
 * four schemes see the same data and start from the same particles.
 *
 * @example
 * const r = trainMeanField({ group: createCyclic(4), width: 200, teacher: 'wi', scheme: 'da', steps: 500, lr: 0.05 });
 * r.final.wi; // ~0 for a WI start and symmetric data
 */
export function trainMeanField(cfg: MeanFieldConfig): MeanFieldResult {
  const group = cfg.group;
  const d = group.dimension;
  const D = d + 2;
  const n = cfg.width;
  const seed = cfg.seed ?? 0;
  const sigma = cfg.sigma ?? Math.tanh;
  const dsigma = cfg.dsigma ?? ((z: number) => 1 - Math.tanh(z) ** 2);
  const batch = cfg.batch ?? 32;
  const E = fixedPointSubspace(group);
  const { matrices } = averagingElements(group, cfg.discretisation);
  const teacher = cfg.teacherParticles ?? teacherParticles(cfg.teacher, d, cfg.teacherUnits ?? 4, E, matrices, seed);
  const tnet: MeanFieldNet = { n: teacher.n, d, theta: teacher.theta, sigma, dsigma };
  let theta = randomParticles(n, d, `${seed}:student`);
  const init = cfg.init ?? (cfg.scheme === 'ea' ? 'si' : 'gaussian');
  if (init === 'si' || cfg.scheme === 'ea') {
    if (E.dimension === 0 && cfg.scheme === 'ea')
      throw new UsageError(`scheme ea: E^G of ${group.name} has dimension 0, so every unit would have w = 0`, 'scheme');
    theta = applyToW(theta, n, d, E.projector);
  }
  if (cfg.initProjector) theta = applyToW(theta, n, d, cfg.initProjector);
  const net: MeanFieldNet = { n, d, theta, sigma, dsigma };
  const testRng = new Rng(seed, ['mf-test']);
  const nTest = 1024;
  const Xtest = testRng.fillNormal(new Float64Array(nTest * d));
  const Ytest = new Float64Array(nTest);
  for (let s = 0; s < nTest; s++) Ytest[s] = mfForward(tnet, Xtest, s * d);
  const maxK = cfg.maxKernelParticles ?? 400;
  const record = (step: number): MeanFieldRecord => {
    let risk = 0;
    for (let s = 0; s < nTest; s++) risk += (mfForward(net, Xtest, s * d) - Ytest[s]) ** 2;
    const sub = subsampleRows(net.theta, n, D, maxK);
    const images = matrices.map((M) => applyToW(sub.data, sub.n, d, M));
    const proj = applyToW(sub.data, sub.n, d, E.projector);
    let off = 0;
    const pw = applyToW(net.theta, n, d, E.projector);
    for (let i = 0; i < n; i++) for (let k = 1; k <= d; k++) off += (net.theta[i * D + k] - pw[i * D + k]) ** 2;
    return {
      step,
      risk: risk / (2 * nTest),
      wi: wiDistance2(sub.data, sub.n, images, D),
      si: siDistance2(sub.data, proj, sub.n, D),
      offFixed: off / n,
    };
  };
  const every = cfg.recordEvery ?? Math.max(1, Math.floor(cfg.steps / 20));
  const records: MeanFieldRecord[] = [record(0)];
  const grad = new Float64Array(n * D);
  const x = new Float64Array(d);
  const gx = new Float64Array(d);
  for (let t = 1; t <= cfg.steps; t++) {
    const rng = new Rng(seed, ['mf-batch', t]);
    grad.fill(0);
    for (let s = 0; s < batch; s++) {
      rng.fillNormal(x);
      const y = mfForward(tnet, x, 0);
      if (cfg.scheme === 'fa') {
        // f_G(x) = mean_g f(g x); its gradient is the mean of the gradients at g x.
        let f = 0;
        for (const M of matrices) f += mfForward(net, matvec(M, x, 0, d, gx), 0);
        const r = f / matrices.length - y;
        for (const M of matrices) mfAccumulateGrad(net, matvec(M, x, 0, d, gx), 0, r, 1 / matrices.length, grad);
      } else {
        const xin = cfg.scheme === 'da' ? matvec(matrices[rng.int(matrices.length)], x, 0, d, gx) : x;
        const r = mfForward(net, xin, 0) - y;
        mfAccumulateGrad(net, xin, 0, r, 1, grad);
      }
    }
    const step = cfg.lr / batch;
    for (let i = 0; i < theta.length; i++) theta[i] -= step * grad[i];
    if (cfg.scheme === 'ea') {
      const p = applyToW(theta, n, d, E.projector);
      theta.set(p);
    }
    if (!theta.every(Number.isFinite)) throw new UsageError(`lr: mean-field training diverged at step ${t} (lr ${cfg.lr}); lower it`, 'lr');
    if (t % every === 0 || t === cfg.steps) records.push(record(t));
  }
  return {
    config: {
      group: group.name,
      d,
      width: n,
      teacher: cfg.teacher,
      scheme: cfg.scheme,
      steps: cfg.steps,
      lr: cfg.lr,
      batch,
      init,
      elements: matrices.length,
    },
    fixedPoint: { dimension: E.dimension, ambient: d, unitDimension: E.dimension + 2, method: E.method },
    records,
    final: records[records.length - 1],
    particles: theta,
    precision: 'float64',
  };
}

/** MMD^2 between two schemes' final particle laws (subsampled to `max` particles each). */
export function schemeDistance2(a: MeanFieldResult, b: MeanFieldResult, max = 400): number {
  const D = a.config.d + 2;
  const sa = subsampleRows(a.particles, a.config.width, D, max);
  const sb = subsampleRows(b.particles, b.config.width, D, max);
  return mmd2(sa.data, sa.n, sb.data, sb.n, D);
}
