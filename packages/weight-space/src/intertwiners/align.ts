import { UsageError } from '@nnsym/core';
import { zeros, type Mat } from '@nnsym/numerics';
import { linearAssignment } from '../nets/assignment';
import { cloneMlpF64, flattenParams, forwardMlp, mlpSizes, phiOf, type DenseNetF64 } from '../nets/mlp';

/** Options of {@link alignMlp}. */
export interface AlignOptions {
  /**
   * `weights` (default): match neurons by their incoming weights and bias (no data needed);
   * `activations`: match by the cosine of their activations on `inputs`.
   */
  method?: 'weights' | 'activations';
  /** Inputs `[n, in]` for `method: 'activations'`. */
  inputs?: Mat;
  /**
   * Also align positive scalings (G_relu = permutations x positive diagonals). Default: on when sigma is
   * positively homogeneous (checked numerically: sigma(c t) = c sigma(t)), as for relu and leaky-relu.
   */
  scaling?: boolean;
}

/** Result of {@link alignMlp}. */
export interface Alignment {
  /** `other` moved along its G_sigma orbit towards `reference`: the same function as `other`. */
  aligned: DenseNetF64;
  /** Per hidden layer: aligned neuron i is neuron `permutations[l][i]` of `other`. */
  permutations: Int32Array[];
  /** Per hidden layer: the positive factor applied to each aligned neuron's incoming weights (1 without scaling). */
  scales: Float64Array[];
  /** ||theta_ref - theta_other|| / ||theta_ref|| before and after alignment. */
  distanceBefore: number;
  distanceAfter: number;
  scaling: boolean;
}

/** Whether sigma(c t) = c sigma(t) for c > 0 on a grid (so positive diagonal scalings intertwine with phi(A) = A). */
export function isPositivelyHomogeneous(sigma: (z: number) => number): boolean {
  for (const c of [0.37, 1.9, 5.3]) {
    for (let t = -4; t <= 4; t += 0.25) {
      const lhs = sigma(c * t);
      const rhs = c * sigma(t);
      if (!(Math.abs(lhs - rhs) <= 1e-12 * Math.max(1, Math.abs(lhs)))) return false;
    }
  }
  return true;
}

/** Relabel and rescale hidden layer l in place: new neuron i = old neuron perm[i], incoming x s_i, outgoing / s_i. */
function permuteScale(net: DenseNetF64, l: number, perm: Int32Array, s: Float64Array): void {
  const cur = net.layers[l];
  const next = net.layers[l + 1];
  const width = cur.out;
  const cols = cur.in;
  const w = new Float64Array(width * cols);
  for (let i = 0; i < width; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = s[i] * cur.W[perm[i] * cols + j];
  cur.W = w;
  if (cur.b) {
    const b = cur.b;
    cur.b = Float64Array.from({ length: width }, (_, i) => s[i] * b[perm[i]]);
  }
  const nw = new Float64Array(next.out * width);
  for (let r = 0; r < next.out; r++) for (let i = 0; i < width; i++) nw[r * width + i] = next.W[r * width + perm[i]] / s[i];
  next.W = nw;
}

/** Incoming weight rows with the bias appended: `[width, in (+1)]`. */
function incoming(net: DenseNetF64, l: number): Mat {
  const { W, b, in: fanIn, out } = net.layers[l];
  const cols = fanIn + (b ? 1 : 0);
  const m = zeros(out, cols);
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < fanIn; j++) m.data[i * cols + j] = W[i * fanIn + j];
    if (b) m.data[i * cols + fanIn] = b[i];
  }
  return m;
}

/** Column (neuron) norms of a `[n, width]` matrix; for incoming weights pass rows via `byRow`. */
function norms(m: Mat, byRow: boolean): Float64Array {
  const k = byRow ? m.rows : m.cols;
  const out = new Float64Array(k);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[byRow ? r : c] += m.data[r * m.cols + c] ** 2;
  return out.map(Math.sqrt);
}

/** Cosine matrix between the neurons of two `[*, width]` blocks (neurons along `byRow` rows or columns). */
function cosines(a: Mat, b: Mat, byRow: boolean): Mat {
  const na = norms(a, byRow);
  const nb = norms(b, byRow);
  const width = byRow ? a.rows : a.cols;
  const len = byRow ? a.cols : a.rows;
  const c = zeros(width, width);
  for (let i = 0; i < width; i++) {
    for (let k = 0; k < width; k++) {
      let s = 0;
      for (let t = 0; t < len; t++) s += byRow ? a.data[i * len + t] * b.data[k * len + t] : a.data[t * width + i] * b.data[t * width + k];
      c.data[i * width + k] = na[i] > 0 && nb[k] > 0 ? s / (na[i] * nb[k]) : 0;
    }
  }
  return c;
}

const relDistance = (a: Float64Array, b: Float64Array) => {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += a[i] ** 2;
  }
  return Math.sqrt(d / n);
};

/**
 * Align `other` to `reference` up to the intertwiner group of their activation, hidden layer by hidden layer
 * (the permutation by linear assignment, {@link linearAssignment}; the positive scaling for positively homogeneous
 * sigma such as relu). Every step is a weight-space action of G_sigma, so `aligned` computes exactly the function
 * of `other` (checked: `functionDiscrepancy` ~ 1e-15) while its weights and hidden units line up with the
 * reference's. With scaling, each aligned neuron gets the incoming (weights + bias) norm of the reference neuron
 * it is matched to.
 *
 * @example
 * const { aligned, distanceBefore, distanceAfter } = alignMlp(netSeed0, netSeed1, { method: 'activations', inputs: x });
 */
export function alignMlp(reference: DenseNetF64, other: DenseNetF64, options: AlignOptions = {}): Alignment {
  const sa = mlpSizes(reference);
  const sb = mlpSizes(other);
  if (sa.join('-') !== sb.join('-'))
    throw new UsageError(`cannot align networks of different architectures (${sa.join('-')} vs ${sb.join('-')})`, '--b');
  const method = options.method ?? 'weights';
  if (method === 'activations' && !options.inputs) throw new UsageError('alignMlp: method "activations" needs inputs', 'inputs');
  const homogeneous = isPositivelyHomogeneous(phiOf(other));
  const scaling = options.scaling ?? homogeneous;
  if (scaling && !homogeneous)
    throw new UsageError(
      'alignMlp: positive scalings are not intertwiners of this activation (sigma(c t) != c sigma(t)); use scaling: false',
      'scaling',
    );
  const net = cloneMlpF64(other);
  const permutations: Int32Array[] = [];
  const scales: Float64Array[] = [];
  const inputs = options.inputs;
  const refHidden = inputs ? forwardMlp(reference, inputs).hidden : [];
  for (let l = 0; l < net.layers.length - 1; l++) {
    let perm: Int32Array;
    let s: Float64Array;
    if (method === 'weights' || !inputs) {
      const ra = incoming(reference, l);
      const rb = incoming(net, l);
      perm = linearAssignment(cosines(ra, rb, true), { maximize: true }).rowToCol;
      const na = norms(ra, true);
      const nb = norms(rb, true);
      s = Float64Array.from(perm, (k, i) => (scaling && na[i] > 0 && nb[k] > 0 ? na[i] / nb[k] : 1));
    } else {
      // Activation cosines decide the permutation; the incoming-weight cosines (weight 1e-3) only break ties
      // between neurons the data cannot tell apart (e.g. relu units that are dead on every input).
      const ha = refHidden[l];
      const hb = forwardMlp(net, inputs).hidden[l];
      const ca = cosines(ha, hb, false);
      const ra = incoming(reference, l);
      const rb = incoming(net, l);
      const cw = cosines(ra, rb, true);
      for (let i = 0; i < ca.data.length; i++) ca.data[i] += 1e-3 * cw.data[i];
      perm = linearAssignment(ca, { maximize: true }).rowToCol;
      // Scales match incoming-weight norms in both methods: matching activation norms instead blows up the weights
      // of nearly dead units (measured: parameter distance 1.4 -> 11.9 between two Fashion-MNIST seeds).
      const wa = norms(ra, true);
      const wb = norms(rb, true);
      s = Float64Array.from(perm, (k, i) => (scaling && wa[i] > 0 && wb[k] > 0 ? wa[i] / wb[k] : 1));
    }
    permuteScale(net, l, perm, s);
    permutations.push(perm);
    scales.push(s);
  }
  const theta = flattenParams(reference);
  return {
    aligned: net,
    permutations,
    scales,
    distanceBefore: relDistance(theta, flattenParams(other)),
    distanceAfter: relDistance(theta, flattenParams(net)),
    scaling,
  };
}
