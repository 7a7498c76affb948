import { type Loss64, type Mlp64, cloneMlp, forward64, lossAndGrad64, paramCount64, unflatten } from './mlp64';
import type { NoetherData, NoetherObserver } from './track';

/** Per hidden unit: n_in = |w_in|^2 + b^2 (incoming row and bias), n_out = |w_out|^2 (outgoing column), D = n_in - d n_out. */
export interface UnitNorms {
  /** `l:j`: unit j of hidden layer l. */
  names: string[];
  nIn: Float64Array;
  nOut: Float64Array;
}

/** The squared incoming and outgoing norms of every hidden unit of `net` (its parameters as they are now). */
export function unitNorms(net: Mlp64): UnitNorms {
  const names: string[] = [];
  const nIn: number[] = [];
  const nOut: number[] = [];
  for (let l = 0; l + 1 < net.layers.length; l++) {
    const { in: di, out: units, W, b } = net.layers[l];
    const next = net.layers[l + 1];
    for (let j = 0; j < units; j++) {
      let a = b ? b[j] * b[j] : 0;
      for (let k = 0; k < di; k++) a += W[j * di + k] ** 2;
      let o = 0;
      for (let r = 0; r < next.out; r++) o += next.W[r * next.in + j] ** 2;
      names.push(`${l}:${j}`);
      nIn.push(a);
      nOut.push(o);
    }
  }
  return { names, nIn: Float64Array.from(nIn), nOut: Float64Array.from(nOut) };
}

export interface BalanceReport {
  /** Degree used in D = n_in - d n_out (the activation's homogeneity degree; 1 when it has none). */
  degree: number;
  /** Whether D is a Noether charge (the activation is positively homogeneous of this degree). */
  symmetric: boolean;
  units: number;
  /** max over units and t of |D(t) - D(0)| / s, s = n_in(0) + d n_out(0). */
  maxImbalanceDrift: number;
  /** max over units and t of max(|n_in(t) - n_in(0)|, d |n_out(t) - n_out(0)|) / s: how far the norms themselves move. */
  maxNormChange: number;
  /** The same two, as medians over units (dead ReLU units, which never move, pull the median down). */
  medianImbalanceDrift: number;
  medianNormChange: number;
  /** Per hidden layer l: |W_l|^2 + |b_l|^2 and |W_{l+1}|^2 at t = 0 and at the end, and the layer imbalance's drift. */
  layers: { layer: number; inInitial: number; inFinal: number; outInitial: number; outFinal: number; imbalanceDrift: number }[];
}

/**
 * Watches the per-unit balance D_j = |w_in,j|^2 + b_j^2 - d |w_out,j|^2 of every hidden unit. For an activation that is
 * positively homogeneous of degree d, D_j is the Noether charge of rescaling unit j (w_in, b -> a w_in, a b; w_out -> a^-d
 * w_out) and gradient flow keeps it fixed: the incoming and outgoing norms move together and neither layer can grow
 * without the other. For any other activation the same quantity is tracked as a contrast (nothing conserves it).
 *
 * @example
 * const bal = balanceObserver(net, 1, true);
 * trackNoether({ ...cfg, observers: [bal] }); ... bal.report().maxImbalanceDrift
 */
export function balanceObserver(net: Mlp64, degree = 1, symmetric = false): NoetherObserver & { report(): BalanceReport } {
  const work = cloneMlp(net);
  const u0 = unitNorms(work);
  const U = u0.names.length;
  const scale = u0.nIn.map((a, j) => Math.max(a + degree * u0.nOut[j], 1e-12));
  const dDrift = new Float64Array(U);
  const nChange = new Float64Array(U);
  const hidden = work.layers.length - 1;
  const layerOf = u0.names.map((s) => Number(s.split(':')[0]));
  const sums = (u: UnitNorms) => {
    const inS = new Float64Array(hidden);
    const outS = new Float64Array(hidden);
    for (let j = 0; j < U; j++) {
      inS[layerOf[j]] += u.nIn[j];
      outS[layerOf[j]] += u.nOut[j];
    }
    return { inS, outS };
  };
  const s0 = sums(u0);
  const layerDrift = new Float64Array(hidden);
  let last = s0;
  const median = (a: Float64Array) => {
    const s = Array.from(a).sort((x, y) => x - y);
    return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return {
    observe(_step, theta) {
      unflatten(work, theta);
      const u = unitNorms(work);
      for (let j = 0; j < U; j++) {
        const dD = Math.abs(u.nIn[j] - degree * u.nOut[j] - (u0.nIn[j] - degree * u0.nOut[j])) / scale[j];
        const dn = Math.max(Math.abs(u.nIn[j] - u0.nIn[j]), degree * Math.abs(u.nOut[j] - u0.nOut[j])) / scale[j];
        if (dD > dDrift[j]) dDrift[j] = dD;
        if (dn > nChange[j]) nChange[j] = dn;
      }
      last = sums(u);
      for (let l = 0; l < hidden; l++) {
        const d = Math.abs(last.inS[l] - degree * last.outS[l] - (s0.inS[l] - degree * s0.outS[l])) / (s0.inS[l] + degree * s0.outS[l]);
        if (d > layerDrift[l]) layerDrift[l] = d;
      }
    },
    report() {
      return {
        degree,
        symmetric,
        units: U,
        maxImbalanceDrift: dDrift.reduce((m, x) => Math.max(m, x), 0),
        maxNormChange: nChange.reduce((m, x) => Math.max(m, x), 0),
        medianImbalanceDrift: median(dDrift),
        medianNormChange: median(nChange),
        layers: Array.from({ length: hidden }, (_, l) => ({
          layer: l,
          inInitial: s0.inS[l],
          inFinal: last.inS[l],
          outInitial: s0.outS[l],
          outFinal: last.outS[l],
          imbalanceDrift: layerDrift[l],
        })),
      };
    },
  };
}

/**
 * The Jacobian of the network's outputs on a batch with respect to the flat parameters, [n * d_out, P] row-major
 * (row s * d_out + a is d f_a(x_s) / d theta), in float64. Each row is one backward pass: with a single sample and the
 * target y = f(x_s) - e_a, the MSE gradient is exactly d f_a / d theta.
 */
export function outputJacobian64(net: Mlp64, X: Float64Array, n: number): Float64Array {
  const P = paramCount64(net);
  const dIn = net.layers[0].in;
  const dOut = net.layers[net.layers.length - 1].out;
  const J = new Float64Array(n * dOut * P);
  const g = new Float64Array(P);
  for (let s = 0; s < n; s++) {
    const x = X.subarray(s * dIn, (s + 1) * dIn);
    const f = forward64(net, x, 1);
    for (let a = 0; a < dOut; a++) {
      const y = f.slice();
      y[a] -= 1;
      lossAndGrad64(net, x, y, 1, 'mse', g);
      J.set(g, (s * dOut + a) * P);
    }
  }
  return J;
}

/** The empirical NTK Θ = J Jᵀ on a batch, [n d_out, n d_out], float64 (J from {@link outputJacobian64}). */
export function empiricalNtk64(net: Mlp64, X: Float64Array, n: number): Float64Array {
  const J = outputJacobian64(net, X, n);
  const P = paramCount64(net);
  const m = J.length / P;
  const K = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < P; p++) acc += J[i * P + p] * J[j * P + p];
      K[i * m + j] = acc;
      K[j * m + i] = acc;
    }
  }
  return K;
}

/**
 * The loss's rate of change under gradient flow, from the NTK: with L = (1/n) Σ_s ℓ(f(x_s), y_s) and the residual
 * r_s = ∂ℓ/∂f (mse, ℓ = ½|f - y|²: r = f - y; xent: r = softmax(f) - y), ∇L = (1/n) Jᵀ r, so along θ' = -∇L
 * dL/dt = -|∇L|² = -rᵀ Θ r / n². Returns that rate, and -|∇L|² from the backward pass for comparison.
 */
export function ntkLossRate(net: Mlp64, data: NoetherData, loss: Loss64): { ntkRate: number; gradRate: number; loss: number } {
  const { X, Y, n } = data;
  const dOut = net.layers[net.layers.length - 1].out;
  const f = forward64(net, X, n);
  const r = new Float64Array(n * dOut);
  for (let s = 0; s < n; s++) {
    if (loss === 'mse') {
      for (let a = 0; a < dOut; a++) r[s * dOut + a] = f[s * dOut + a] - Y[s * dOut + a];
    } else {
      let m = -Infinity;
      for (let a = 0; a < dOut; a++) m = Math.max(m, f[s * dOut + a]);
      let z = 0;
      for (let a = 0; a < dOut; a++) z += Math.exp(f[s * dOut + a] - m);
      for (let a = 0; a < dOut; a++) r[s * dOut + a] = Math.exp(f[s * dOut + a] - m) / z - Y[s * dOut + a];
    }
  }
  const K = empiricalNtk64(net, X, n);
  const M = r.length;
  let q = 0;
  for (let i = 0; i < M; i++) {
    let acc = 0;
    for (let j = 0; j < M; j++) acc += K[i * M + j] * r[j];
    q += r[i] * acc;
  }
  const { loss: value, grad } = lossAndGrad64(net, X, Y, n, loss);
  let g2 = 0;
  for (let i = 0; i < grad.length; i++) g2 += grad[i] * grad[i];
  return { ntkRate: -q / (n * n), gradRate: -g2, loss: value };
}

export interface NtkEnergyPoint {
  step: number;
  loss: number;
  /** -rᵀ Θ r / n² at this step. */
  ntkRate: number;
  /** Central difference of the run's own loss: (L(step + 1) - L(step - 1)) / (2 eta). */
  fdRate: number;
  /** |fdRate - ntkRate| / |ntkRate|. */
  relativeError: number;
  /** |ntkRate - (-|∇L|²)| / |ntkRate|: the NTK identity itself (rounding only). */
  identityError: number;
}

export interface NtkEnergyReport {
  points: NtkEnergyPoint[];
  maxRelativeError: number;
  maxIdentityError: number;
}

/**
 * Checks the energy balance of gradient flow at `checkpoints` steps spread over the run: the loss decrease rate measured
 * by a central difference of the run's loss, against -rᵀΘr/n² from the empirical NTK at that step ({@link ntkLossRate}).
 * Meaningful for full-batch `gd` (agreement O(eta)) and `flow` (RK4: O(eta²)); the loss is evaluated on `data`.
 */
export function ntkEnergyObserver(
  net: Mlp64,
  data: NoetherData,
  loss: Loss64,
  lr: number,
  steps: number,
  checkpoints = 8,
): NoetherObserver & { report(): NtkEnergyReport } {
  const work = cloneMlp(net);
  const K = Math.max(1, Math.min(checkpoints, steps - 1));
  const at = new Set<number>();
  for (let i = 0; i < K; i++) at.add(Math.max(1, Math.min(steps - 1, Math.round(((i + 0.5) * steps) / K))));
  const losses = new Map<number, number>();
  const rates = new Map<number, { ntkRate: number; gradRate: number }>();
  return {
    observe(step, theta) {
      const near = at.has(step - 1) || at.has(step) || at.has(step + 1);
      if (!near) return;
      unflatten(work, theta);
      if (at.has(step)) {
        const r = ntkLossRate(work, data, loss);
        rates.set(step, r);
        losses.set(step, r.loss);
      } else {
        losses.set(step, lossAndGrad64(work, data.X, data.Y, data.n, loss).loss);
      }
    },
    report() {
      const points: NtkEnergyPoint[] = [];
      for (const c of [...at].sort((a, b) => a - b)) {
        const r = rates.get(c);
        const lm = losses.get(c - 1);
        const lp = losses.get(c + 1);
        if (!r || lm === undefined || lp === undefined) continue;
        const fdRate = (lp - lm) / (2 * lr);
        const den = Math.max(Math.abs(r.ntkRate), 1e-300);
        points.push({
          step: c,
          loss: losses.get(c)!,
          ntkRate: r.ntkRate,
          fdRate,
          relativeError: Math.abs(fdRate - r.ntkRate) / den,
          identityError: Math.abs(r.ntkRate - r.gradRate) / den,
        });
      }
      return {
        points,
        maxRelativeError: points.reduce((m, p) => Math.max(m, p.relativeError), 0),
        maxIdentityError: points.reduce((m, p) => Math.max(m, p.identityError), 0),
      };
    },
  };
}
