import { UsageError, type SeedKey } from '@nnsym/core';
import { svd, orthonormalize } from '@nnsym/numerics';
import type { GroupAction } from '@nnsym/groups';
import { fixedPointSubspace, subspaceFromBasis, type Subspace } from './fixed-point';
import { averagingElements, teacherParticles, trainMeanField } from './train';

export interface DiscoverConfig {
  /** Data group: inputs x ~ N(0, I) are drawn in its dimension; the teacher comes from `teacherGroup`. */
  group: GroupAction;
  /** The problem's true symmetry (the teacher is SI for it); default `group`. Unknown to the algorithm. */
  teacherGroup?: GroupAction;
  teacher?: 'si' | 'arbitrary';
  /** Subspace of w to start from (default {0}: units start with w = 0 and only a, b free). */
  start?: Subspace;
  width?: number;
  steps?: number;
  lr?: number;
  batch?: number;
  /** A direction is added when its share of the particles' mean squared w exceeds this (default 0.02). */
  tol?: number;
  maxIterations?: number;
  seed?: SeedKey;
}

export interface DiscoverIteration {
  iteration: number;
  dimension: number;
  /** Eigenvalues of the out-of-subspace second moment of the trained w's, relative to mean |w|^2. */
  escapeSpectrum: number[];
  added: number;
}

export interface DiscoverResult {
  dimension: number;
  basis: number[][];
  iterations: DiscoverIteration[];
  converged: boolean;
  stoppingRule: string;
  precision: 'float64';
}

/**
 * Data-driven discovery of the largest parameter subspace supporting SI laws for a problem (after Maass & Fontbona,
 * arXiv 2405.19995, Sec. 5). Free training preserves laws supported on a subspace E exactly when the problem's
 * mean-field dynamics leave E invariant; so: start the students' w in E_0, train freely (large N, large batch),
 * take the second moment of the trained w's outside E_k, and add its principal directions whose share of mean |w|^2
 * exceeds `tol`. Stop when no direction escapes (E_k is invariant: it supports SI laws) or after `maxIterations`.
 * Returns an orthonormal basis and the dimension.
 *
 * Known answer: with an SI teacher for a group H and H-invariant data, the result is E^H (e.g. dim 2 for
 * C_2 x C_2 on R^4 and dim 1 for C_4 on R^4, from E_0 = {0}).
 */
export function discoverSubspace(cfg: DiscoverConfig): DiscoverResult {
  const d = cfg.group.dimension;
  const tg = cfg.teacherGroup ?? cfg.group;
  if (tg.dimension !== d)
    throw new UsageError(`teacher group ${tg.name} acts on R^${tg.dimension}, data group ${cfg.group.name} on R^${d}`, 'teacherGroup');
  const tol = cfg.tol ?? 0.02;
  const maxIt = cfg.maxIterations ?? d + 1;
  let E = cfg.start ?? subspaceFromBasis([], d, 'start: {0}');
  const iterations: DiscoverIteration[] = [];
  const Et = fixedPointSubspace(tg);
  const teacherUnits = 4;
  // The teacher, fixed for all iterations: SI for the (hidden) teacher group.
  const tp = teacherParticles(cfg.teacher ?? 'si', d, teacherUnits, Et, averagingElements(tg).matrices, cfg.seed ?? 0);
  let converged = false;
  for (let it = 0; it < maxIt; it++) {
    const r = trainMeanField({
      group: cfg.group,
      width: cfg.width ?? 200,
      teacher: 'si',
      teacherParticles: tp,
      scheme: 'vanilla',
      steps: cfg.steps ?? 300,
      lr: cfg.lr ?? 0.2,
      batch: cfg.batch ?? 64,
      initProjector: E.projector,
      seed: `${cfg.seed ?? 0}:discover:${it}`,
      recordEvery: cfg.steps ?? 300,
    });
    const n = r.config.width;
    const D = d + 2;
    const rows = new Float64Array(n * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) total += r.particles[i * D + 1 + k] ** 2;
      // out-of-E component
      for (let k = 0; k < d; k++) {
        let s = r.particles[i * D + 1 + k];
        for (let j = 0; j < d; j++) s -= E.projector[k * d + j] * r.particles[i * D + 1 + j];
        rows[i * d + k] = s / Math.sqrt(n);
      }
    }
    total /= n;
    const { s, v } = svd({ rows: Math.max(n, d), cols: d, data: n >= d ? rows : padRows(rows, n, d) });
    const spectrum = Array.from(s, (x) => (x * x) / (total || 1));
    const add: Float64Array[] = [];
    spectrum.forEach((lam, k) => {
      if (lam > tol) add.push(Float64Array.from({ length: d }, (_, i) => v.data[i * d + k]));
    });
    iterations.push({ iteration: it, dimension: E.dimension, escapeSpectrum: spectrum, added: add.length });
    if (add.length === 0) {
      converged = true;
      break;
    }
    E = subspaceFromBasis(orthonormalize([...E.basis, ...add], d), d, `discovered after ${it + 1} iterations`);
  }
  return {
    dimension: E.dimension,
    basis: E.basis.map((b) => Array.from(b)),
    iterations,
    converged,
    stoppingRule: `stop when no direction outside E_k holds more than ${tol} of the trained particles' mean |w|^2`,
    precision: 'float64',
  };
}

function padRows(rows: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(d * d);
  out.set(rows.subarray(0, n * d));
  return out;
}
