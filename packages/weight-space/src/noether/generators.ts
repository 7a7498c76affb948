import { type Loss64, type Mlp64, lossAndGrad64, offsets, paramCount64, flatten } from './mlp64';

/**
 * A continuous parameter symmetry, as the vector field it generates on the flat parameter vector theta:
 * - `linear`: delta theta = A theta with A symmetric (rescalings, symmetric GL(n) directions);
 *   the gradient-flow charge is Q = 1/2 theta^T A theta (Głuch & Urbanke, arXiv 2104.05508, Thm. 1).
 * - `translation`: delta theta = v (constant), e.g. shifting every logit under softmax cross-entropy;
 *   the charge is Q = v . theta.
 * Proof sketch (both cases): L(exp(tA) theta) = L(theta) for all t gives grad L . A theta = 0, so along
 * theta' = -grad L: dQ/dt = theta^T A theta' = -(A theta) . grad L = 0. Likewise v . theta' = -v . grad L = 0.
 */
export interface Generator {
  /** e.g. `rescale[l=0,j=3]`, `gl[l=0](1,2)`, `logit-shift.bias`. */
  name: string;
  /** The family it belongs to, e.g. `neuron-rescaling`, `gl-between-layers`, `logit-translation`. */
  family: string;
  kind: 'linear' | 'translation';
  /** out = A theta (linear) or out = v (translation). `out` is zeroed by the caller. */
  apply(theta: Float64Array, out: Float64Array): void;
  /** The hand-derived closed form of the charge, used as a cross-check of the generic formula. */
  closedForm?: (net: Mlp64) => number;
  /** Human formula of the closed form. */
  formula?: string;
}

/** A symmetry family that was looked for, and whether the architecture has it. */
export interface FamilyReport {
  family: string;
  present: boolean;
  why: string;
}

export interface GeneratorOptions {
  /** Homogeneity degree of the activation (1 for relu / leaky-relu / identity), if positively homogeneous. */
  homogeneousDegree?: number;
  /** The activation is the identity (deep linear network): GL(n) between layers. */
  linear?: boolean;
  loss: Loss64;
  /** Cap on the number of per-pair GL generators per junction (they grow as n^2/2). */
  maxGlPerJunction?: number;
}

/**
 * The continuous parameter symmetries of an MLP, from its activation's traits and the loss:
 * per-neuron rescaling for positively homogeneous activations of degree d (w_in -> c w_in, w_out -> c^-d w_out),
 * GL(n) between consecutive layers of deep linear nets (W_l -> G W_l, W_{l+1} -> W_{l+1} G^-1; symmetric
 * directions only, which are the ones with nonzero charges), and logit translation under softmax cross-entropy.
 */
export function mlpGenerators(net: Mlp64, opts: GeneratorOptions): { generators: Generator[]; families: FamilyReport[] } {
  const L = net.layers.length;
  const offs = offsets(net);
  const gens: Generator[] = [];
  const families: FamilyReport[] = [];
  const d = opts.homogeneousDegree;

  if (d !== undefined && d > 0 && !opts.linear && L > 1) {
    for (let l = 0; l < L - 1; l++) {
      const lin = net.layers[l];
      const lout = net.layers[l + 1];
      for (let j = 0; j < lin.out; j++) {
        gens.push({
          name: `rescale[l=${l},j=${j}]`,
          family: 'neuron-rescaling',
          kind: 'linear',
          apply: (theta, out) => {
            for (let k = 0; k < lin.in; k++) out[offs[l].W + j * lin.in + k] = theta[offs[l].W + j * lin.in + k];
            if (lin.b) out[offs[l].b + j] = theta[offs[l].b + j];
            for (let a = 0; a < lout.out; a++) out[offs[l + 1].W + a * lout.in + j] = -d * theta[offs[l + 1].W + a * lout.in + j];
          },
          formula: `1/2 (|w_in|^2 + b^2 - ${d === 1 ? '' : d + ' '}|w_out|^2)`,
          closedForm: (n) => {
            const a = n.layers[l];
            const c = n.layers[l + 1];
            let s = 0;
            for (let k = 0; k < a.in; k++) s += a.W[j * a.in + k] ** 2;
            if (a.b) s += a.b[j] ** 2;
            for (let r = 0; r < c.out; r++) s -= d * c.W[r * c.in + j] ** 2;
            return s / 2;
          },
        });
      }
    }
    families.push({ family: 'neuron-rescaling', present: true, why: `activation is positively homogeneous of degree ${d}` });
  } else {
    families.push({ family: 'neuron-rescaling', present: false, why: L > 1 ? 'activation is not positively homogeneous' : 'no hidden layer' });
  }

  if (opts.linear && L > 1) {
    const cap = opts.maxGlPerJunction ?? 64;
    for (let l = 0; l < L - 1; l++) {
      const lin = net.layers[l];
      const lout = net.layers[l + 1];
      const n = lin.out;
      let count = 0;
      for (let i = 0; i < n && count < cap; i++) {
        for (let j = i; j < n && count < cap; j++, count++) {
          // E = (e_i e_j^T + e_j e_i^T)/2 (or e_i e_i^T): delta W_l = E W_l, delta b_l = E b_l, delta W_{l+1} = -W_{l+1} E.
          const w = i === j ? 1 : 0.5;
          gens.push({
            name: `gl[l=${l}](${i},${j})`,
            family: 'gl-between-layers',
            kind: 'linear',
            apply: (theta, out) => {
              for (let k = 0; k < lin.in; k++) {
                out[offs[l].W + i * lin.in + k] += w * theta[offs[l].W + j * lin.in + k];
                if (i !== j) out[offs[l].W + j * lin.in + k] += w * theta[offs[l].W + i * lin.in + k];
              }
              if (lin.b) {
                out[offs[l].b + i] += w * theta[offs[l].b + j];
                if (i !== j) out[offs[l].b + j] += w * theta[offs[l].b + i];
              }
              for (let a = 0; a < lout.out; a++) {
                out[offs[l + 1].W + a * lout.in + j] -= w * theta[offs[l + 1].W + a * lout.in + i];
                if (i !== j) out[offs[l + 1].W + a * lout.in + i] -= w * theta[offs[l + 1].W + a * lout.in + j];
              }
            },
            formula: `1/2 C_ij (x2 off-diagonal weight 1/2), C = W_l W_l^T + b_l b_l^T - W_{l+1}^T W_{l+1}`,
            closedForm: (nn) => {
              const a = nn.layers[l];
              const c = nn.layers[l + 1];
              let cij = 0;
              for (let k = 0; k < a.in; k++) cij += a.W[i * a.in + k] * a.W[j * a.in + k];
              if (a.b) cij += a.b[i] * a.b[j];
              for (let r = 0; r < c.out; r++) cij -= c.W[r * c.in + i] * c.W[r * c.in + j];
              return cij / 2;
            },
          });
        }
      }
    }
    families.push({ family: 'gl-between-layers', present: true, why: 'identity activation: consecutive layers can absorb any invertible G' });
  } else {
    families.push({ family: 'gl-between-layers', present: false, why: opts.linear ? 'no hidden layer' : 'activation is not linear' });
  }

  if (opts.loss === 'xent') {
    const last = net.layers[L - 1];
    const o = offs[L - 1];
    if (last.b) {
      gens.push({
        name: 'logit-shift.bias',
        family: 'logit-translation',
        kind: 'translation',
        apply: (_t, out) => {
          for (let a = 0; a < last.out; a++) out[o.b + a] = 1;
        },
        formula: 'sum_a b_L[a]',
        closedForm: (nn) => nn.layers[L - 1].b!.reduce((s, v) => s + v, 0),
      });
    }
    for (let k = 0; k < last.in; k++) {
      gens.push({
        name: `logit-shift.W[:,${k}]`,
        family: 'logit-translation',
        kind: 'translation',
        apply: (_t, out) => {
          for (let a = 0; a < last.out; a++) out[o.W + a * last.in + k] = 1;
        },
        formula: `sum_a W_L[a,${k}]`,
        closedForm: (nn) => {
          const lay = nn.layers[L - 1];
          let s = 0;
          for (let a = 0; a < lay.out; a++) s += lay.W[a * lay.in + k];
          return s;
        },
      });
    }
    families.push({ family: 'logit-translation', present: true, why: 'softmax cross-entropy is unchanged when every logit shifts by the same amount' });
  } else {
    families.push({ family: 'logit-translation', present: false, why: `loss ${opts.loss} is not invariant under a common logit shift` });
  }
  return { generators: gens, families };
}

/** The generic charge of a generator: 1/2 theta^T A theta (linear) or v . theta (translation). */
export function charge(gen: Generator, theta: Float64Array, scratch = new Float64Array(theta.length)): number {
  scratch.fill(0);
  gen.apply(theta, scratch);
  let s = 0;
  for (let i = 0; i < theta.length; i++) s += theta[i] * scratch[i];
  return gen.kind === 'linear' ? s / 2 : s;
}

/**
 * The scale a charge's drift is measured against: 1/2 theta^T |A| theta (the sum of the magnitudes of the terms
 * whose difference the charge is) for linear generators, |v| |theta_v| for translations. A charge can be ~0 as a
 * difference of large terms, so its relative drift is taken against this scale, not against |Q|.
 */
export function chargeScale(gen: Generator, theta: Float64Array, scratch = new Float64Array(theta.length)): number {
  scratch.fill(0);
  gen.apply(theta, scratch);
  let s = 0;
  for (let i = 0; i < theta.length; i++) s += Math.abs(theta[i] * scratch[i]);
  if (gen.kind === 'linear') return s / 2;
  // translation: v is 0/1; scale by the norm of the touched coordinates
  let n = 0;
  for (let i = 0; i < theta.length; i++) if (scratch[i] !== 0) n += theta[i] * theta[i];
  return Math.sqrt(n) + 1e-300;
}

/**
 * Check that a generator is a symmetry of the loss at the current parameters: |grad L . A theta| relative to
 * |grad L| |A theta|. Returns that cosine (0 for an exact symmetry).
 */
export function symmetryResidual(net: Mlp64, gen: Generator, X: Float64Array, Y: Float64Array, n: number, loss: Loss64): number {
  const theta = flatten(net);
  const { grad } = lossAndGrad64(net, X, Y, n, loss);
  const v = new Float64Array(paramCount64(net));
  gen.apply(theta, v);
  let dot = 0;
  let ng = 0;
  let nv = 0;
  for (let i = 0; i < v.length; i++) {
    dot += grad[i] * v[i];
    ng += grad[i] ** 2;
    nv += v[i] ** 2;
  }
  return Math.abs(dot) / (Math.sqrt(ng * nv) + 1e-300);
}
